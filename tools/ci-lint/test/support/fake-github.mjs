// A GitHub REST API stand-in on 127.0.0.1 for the workflow scripts: routes are
// "METHOD /path" patterns with :params, list routes are paginated with Link headers
// like the real API, and every request is recorded.
import { createServer } from 'node:http';

export const TOKEN = 'test-token';

export async function startFakeGitHub(routes) {
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
    requests.push({ method: req.method, path: url.pathname, query: url.searchParams, body });

    const send = (status, data, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(data === undefined ? '' : JSON.stringify(data));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { message: 'Bad credentials' });

    for (const route of compiled) {
      const match = req.method === route.method && route.regexp.exec(url.pathname);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(match[i + 1])]));
      const result = await route.handler({ params, body, query: url.searchParams });
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
