// A GitHub REST API stand-in on 127.0.0.1 for the workflow scripts: routes are
// "METHOD /path" patterns with :params, list routes are paginated with Link headers
// like the real API, and every request is recorded with the token it carried.
// pullRequestRoutes serves a repository's pull requests, their files, comments and labels
// from plain objects that a test changes between runs, as GitHub's state changes.
import { createServer } from 'node:http';

/** The workflow's GITHUB_TOKEN. */
export const TOKEN = 'test-token';
/** A package admin's token (PACKAGES_DELETE_TOKEN), the only one that may delete versions. */
export const PACKAGES_TOKEN = 'packages-admin-token';

export async function startFakeGitHub(routes, { tokens = [TOKEN] } = {}) {
  const requests = [];
  const compiled = Object.entries(routes).map(([key, handler]) => {
    const [method, path] = key.split(' ');
    const names = [];
    const regexp = new RegExp(`^${path.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}$`);
    return { method, regexp, names, handler };
  });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = raw ? JSON.parse(raw) : undefined;
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    requests.push({ method: req.method, path: url.pathname, query: url.searchParams, body, token });

    const send = (status, data, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };
    if (!tokens.includes(token)) return send(401, { message: 'Bad credentials' });

    for (const route of compiled) {
      const match = req.method === route.method && route.regexp.exec(url.pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
      const result = await route.handler({ params, body, query: url.searchParams, token });
      if (Array.isArray(result?.list)) return sendPage(result.list);
      return send(result?.status ?? 200, result?.data);
    }
    return send(404, { message: 'Not Found' });

    function sendPage(list) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const items = list.slice((page - 1) * perPage, page * perPage);
      const headers = {};
      if (page * perPage < list.length) {
        const next = new URL(url);
        next.host = req.headers.host;
        next.searchParams.set('page', String(page + 1));
        headers.link = `<${next}>; rel="next"`;
      }
      send(200, items, headers);
    }
  });

  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/**
 * Routes for `repository`'s pull requests: `pulls` maps a number to
 * { state, draft, labels: [names], headSha, fork, files: [paths or { filename, previous_filename }], changedFiles }
 * (a missing number answers 404), and `comments` collects the issue comments. Labels
 * removed through the API disappear from the PR.
 */
export function pullRequestRoutes(repository, pulls, comments = []) {
  const pullOf = (n) => pulls[n];
  return {
    [`GET /repos/${repository}/pulls/:n`]: ({ params }) => {
      const pull = pullOf(params.n);
      if (!pull) return { status: 404, data: { message: 'Not Found' } };
      const files = pull.files ?? [];
      return {
        data: {
          number: Number(params.n),
          state: pull.state ?? 'open',
          draft: pull.draft ?? false,
          labels: (pull.labels ?? []).map((name) => ({ name })),
          head: { sha: pull.headSha, repo: { full_name: pull.fork ? `mallory/${repository.split('/')[1]}` : repository } },
          base: { repo: { full_name: repository } },
          changed_files: pull.changedFiles ?? files.length,
        },
      };
    },
    [`GET /repos/${repository}/pulls/:n/files`]: ({ params }) => ({
      list: (pullOf(params.n)?.files ?? []).map((file) => (typeof file === 'string' ? { filename: file, status: 'modified' } : file)),
    }),
    [`GET /repos/${repository}/issues/:n/comments`]: ({ params }) => ({ list: comments.filter((c) => c.issue === Number(params.n)) }),
    [`POST /repos/${repository}/issues/:n/comments`]: ({ params, body }) => {
      const comment = { id: 5000 + comments.length, issue: Number(params.n), body: body.body, user: { type: 'Bot' } };
      comments.push(comment);
      return { status: 201, data: comment };
    },
    [`PATCH /repos/${repository}/issues/comments/:id`]: ({ params, body }) => {
      const comment = comments.find((c) => c.id === Number(params.id));
      if (!comment) return { status: 404, data: {} };
      comment.body = body.body;
      return { data: comment };
    },
    [`DELETE /repos/${repository}/issues/:n/labels/:label`]: ({ params }) => {
      const pull = pullOf(params.n);
      if (!pull?.labels?.includes(params.label)) return { status: 404, data: {} };
      pull.labels = pull.labels.filter((l) => l !== params.label);
      return { data: [] };
    },
  };
}
