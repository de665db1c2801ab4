// Minimal GitHub REST client for the workflow scripts: the job's GITHUB_TOKEN, the
// runner's GITHUB_API_URL, JSON bodies, and Link-header pagination. Node 20's fetch;
// no dependencies, so the scripts run on a bare runner without npm install.

export class GitHubApiError extends Error {
  constructor(method, path, status, body) {
    super(`${method} ${path} -> ${status}: ${body.slice(0, 300)}`);
    this.status = status;
  }
}

export function createClient({
  token = process.env.GITHUB_TOKEN,
  baseUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com',
} = {}) {
  if (!token) throw new Error('GITHUB_TOKEN is not set');

  async function send(method, pathOrUrl, body) {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${baseUrl}${pathOrUrl}`;
    const response = await fetch(url, {
      method,
      headers: {
        accept: 'application/vnd.github+json',
        authorization: `Bearer ${token}`,
        'x-github-api-version': '2022-11-28',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new GitHubApiError(method, pathOrUrl, response.status, text);
    return { data: text ? JSON.parse(text) : null, link: response.headers.get('link') };
  }

  return {
    get: async (path) => (await send('GET', path)).data,
    post: async (path, body) => (await send('POST', path, body)).data,
    patch: async (path, body) => (await send('PATCH', path, body)).data,
    delete: async (path) => (await send('DELETE', path)).data,

    /** Every item of a list endpoint, following rel="next" links. */
    async paginate(path) {
      const items = [];
      let next = `${path}${path.includes('?') ? '&' : '?'}per_page=100`;
      while (next) {
        const page = await send('GET', next);
        items.push(...page.data);
        next = /<([^>]+)>;\s*rel="next"/.exec(page.link ?? '')?.[1];
      }
      return items;
    },
  };
}
