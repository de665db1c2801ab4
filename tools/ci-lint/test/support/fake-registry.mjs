// An OCI distribution registry stand-in on 127.0.0.1 (what ghcr.io answers the recorder):
//   - the token protocol: /v2/ requests without a valid token get 401 and
//     `WWW-Authenticate: Bearer realm=<this server>/token,service=…,scope=repository:<name>:pull`;
//     /token checks the basic credentials and issues a token for that scope only;
//   - GET /v2/<name>/manifests/<tag or digest>: the stored bytes with their media type and
//     Docker-Content-Digest (a test may make the registry lie about it);
//   - GET /v2/<name>/blobs/<digest>: 307 to /storage/<digest>, served without credentials,
//     as ghcr.io redirects blob downloads to its storage.
// Tests push images with the labels they choose: one platform manifest, or an index of
// several platforms with BuildKit's attestation manifest next to them.
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export const REGISTRY_USER = 'github-actions';

const types = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
  inToto: 'application/vnd.in-toto+json',
};

const digestOf = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export async function startFakeRegistry({ password }) {
  const blobs = new Map(); // digest -> Buffer
  const manifests = new Map(); // `${name}@${digest}` -> { bytes, mediaType }
  const tags = new Map(); // `${name}:${tag}` -> digest
  const tokens = new Map(); // token -> scope
  const lies = new Map(); // `${name}:${reference}` -> announced digest
  const requests = [];

  const putBlob = (value) => {
    const bytes = Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
    const digest = digestOf(bytes);
    blobs.set(digest, bytes);
    return { digest, size: bytes.length };
  };
  const putManifest = (name, body) => {
    const bytes = Buffer.from(JSON.stringify(body));
    const digest = digestOf(bytes);
    manifests.set(`${name}@${digest}`, { bytes, mediaType: body.mediaType });
    return { digest, size: bytes.length, mediaType: body.mediaType };
  };
  const platformImage = (name, { os = 'linux', architecture = 'amd64', labels, docker = false }) => {
    const config = putBlob({ architecture, os, config: labels ? { Labels: labels } : {}, rootfs: { type: 'layers', diff_ids: [] } });
    const layer = putBlob(randomBytes(32).toString('hex'));
    return putManifest(name, {
      schemaVersion: 2,
      mediaType: docker ? types.dockerManifest : types.manifest,
      config: { mediaType: docker ? 'application/vnd.docker.container.image.v1+json' : types.config, ...config },
      layers: [{ mediaType: layer.mediaType ?? types.layer, ...layer }],
    });
  };

  let url;
  const server = createServer(async (req, res) => {
    const target = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: target.pathname, accept: req.headers.accept, authorization: req.headers.authorization });
    const send = (status, body, headers = {}) => {
      res.writeHead(status, headers);
      res.end(body);
    };

    if (target.pathname === '/token') {
      const expected = `Basic ${Buffer.from(`${REGISTRY_USER}:${password}`).toString('base64')}`;
      if (req.headers.authorization !== expected) return send(401, JSON.stringify({ errors: [{ code: 'UNAUTHORIZED' }] }));
      const token = randomBytes(16).toString('hex');
      tokens.set(token, target.searchParams.get('scope'));
      return send(200, JSON.stringify({ token }), { 'content-type': 'application/json' });
    }
    const storage = /^\/storage\/(sha256:[0-9a-f]{64})$/.exec(target.pathname);
    if (storage) {
      return blobs.has(storage[1]) ? send(200, blobs.get(storage[1])) : send(404, '');
    }
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(target.pathname);
    if (!match) return send(404, '');
    const [, name, kind, reference] = match;
    const scope = `repository:${name}:pull`;
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (tokens.get(bearer) !== scope) {
      return send(401, JSON.stringify({ errors: [{ code: 'UNAUTHORIZED' }] }), {
        'www-authenticate': `Bearer realm="${url}/token",service="fake-registry",scope="${scope}"`,
      });
    }
    if (kind === 'blobs') {
      return blobs.has(reference) ? send(307, '', { location: `/storage/${reference}` }) : send(404, '');
    }
    const digest = reference.startsWith('sha256:') ? reference : tags.get(`${name}:${reference}`);
    const stored = digest && manifests.get(`${name}@${digest}`);
    if (!stored) return send(404, JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN' }] }));
    return send(200, stored.bytes, {
      'content-type': stored.mediaType,
      'docker-content-digest': lies.get(`${name}:${reference}`) ?? digest,
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    requests,
    /**
     * Pushes name:tag with image config labels; with `platforms`, an index of one image per
     * platform (labels per platform may differ) plus an attestation manifest. Returns the
     * digest the tag points at.
     */
    push(name, tag, { labels, platforms, docker = false } = {}) {
      let top;
      if (platforms) {
        const entries = platforms.map(({ os = 'linux', architecture, labels: own }) => ({
          ...platformImage(name, { os, architecture, labels: own ?? labels }),
          platform: { os, architecture },
        }));
        const attestation = putManifest(name, {
          schemaVersion: 2,
          mediaType: types.manifest,
          config: { mediaType: types.config, ...putBlob({ architecture: 'unknown', os: 'unknown', config: {} }) },
          layers: [{ mediaType: types.inToto, ...putBlob('{"predicateType":"https://slsa.dev/provenance/v0.2"}') }],
        });
        top = putManifest(name, {
          schemaVersion: 2,
          mediaType: types.index,
          manifests: [
            ...entries,
            {
              ...attestation,
              platform: { os: 'unknown', architecture: 'unknown' },
              annotations: { 'vnd.docker.reference.type': 'attestation-manifest', 'vnd.docker.reference.digest': entries[0].digest },
            },
          ],
        });
      } else {
        top = platformImage(name, { labels, docker });
      }
      tags.set(`${name}:${tag}`, top.digest);
      return top.digest;
    },
    /** Makes the registry announce another Docker-Content-Digest for name:reference. */
    lieAboutDigest(name, reference, digest) {
      lies.set(`${name}:${reference}`, digest);
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
