// Reads images from an OCI distribution registry (ghcr.io): what a tag points at, by
// digest, and the labels of the image configs behind it. Node 20's fetch and crypto, no
// dependencies.
//
// OCI distribution spec (opencontainers/distribution-spec, spec.md): GET
// /v2/<name>/manifests/<reference> with the manifest and index media types in Accept;
// 404 when the tag does not exist. The digest of what the tag points at is the SHA-256
// of the bytes returned, which must equal the Docker-Content-Digest header. An image
// index (several platforms, or BuildKit's attestation manifests next to the image) lists
// manifests by digest; each image manifest names its config blob, whose config.Labels
// carry org.opencontainers.image.revision and .source (image.yml sets them).
//
// Authentication (the registry token protocol ghcr.io speaks): an anonymous request is
// answered 401 with `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; a GET of
// the realm with service and scope, with the caller's basic credentials, returns
// {"token": …} for the Authorization header of the retry.

import { createHash } from 'node:crypto';

export const mediaTypes = Object.freeze({
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
});

const indexTypes = [mediaTypes.ociIndex, mediaTypes.dockerList];
const manifestTypes = [mediaTypes.ociManifest, mediaTypes.dockerManifest];
const configTypes = [mediaTypes.ociConfig, mediaTypes.dockerConfig];
const digestPattern = /^sha256:[0-9a-f]{64}$/;
// The distribution spec lets registries refuse manifests over 4 MiB; nothing this reads is larger.
const maxBytes = 4 * 1024 * 1024;

export class RegistryError extends Error {}

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The parameters of a `Bearer k="v",…` challenge. */
export function parseChallenge(header) {
  const match = /^Bearer\s+(.*)$/i.exec(header ?? '');
  if (!match) return undefined;
  return Object.fromEntries([...match[1].matchAll(/([a-z]+)="([^"]*)"/gi)].map(([, key, value]) => [key.toLowerCase(), value]));
}

/** A platform image of an index: not BuildKit's attestation manifests (platform unknown/unknown). */
const isPlatformImage = (descriptor) =>
  descriptor.platform?.os !== 'unknown' && descriptor.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest';

export function createRegistry({ url = 'https://ghcr.io', username, password } = {}) {
  const base = url.replace(/\/+$/, '');
  const tokens = new Map(); // scope -> bearer token

  async function token(challenge) {
    if (!challenge?.realm) throw new RegistryError('registry asked for credentials without a Bearer realm');
    const realm = new URL(challenge.realm);
    if (challenge.service) realm.searchParams.set('service', challenge.service);
    if (challenge.scope) realm.searchParams.set('scope', challenge.scope);
    const headers = username && password
      ? { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }
      : {};
    const response = await fetch(realm, { headers });
    if (!response.ok) throw new RegistryError(`token request to ${realm.origin}${realm.pathname} -> ${response.status}`);
    const body = await response.json();
    const value = body.token ?? body.access_token;
    if (typeof value !== 'string' || value === '') throw new RegistryError('token response without a token');
    return value;
  }

  /** GET with the registry's token dance; null on 404. */
  async function get(path, accept) {
    const scope = `repository:${path.split('/').slice(2, -2).join('/')}:pull`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers = { accept };
      if (tokens.has(scope)) headers.authorization = `Bearer ${tokens.get(scope)}`;
      const response = await fetch(`${base}${path}`, { headers, redirect: 'follow' });
      if (response.status === 401 && attempt === 0) {
        tokens.set(scope, await token(parseChallenge(response.headers.get('www-authenticate'))));
        continue;
      }
      if (response.status === 404) return null;
      if (!response.ok) throw new RegistryError(`GET ${path} -> ${response.status}`);
      const bytes = Buffer.from(await response.arrayBuffer());
      if (bytes.length > maxBytes) throw new RegistryError(`GET ${path}: ${bytes.length} bytes, more than a manifest or config may have`);
      return { bytes, headers: response.headers };
    }
    throw new RegistryError(`GET ${path}: refused after authenticating`);
  }

  /** A manifest or index by tag or digest: { digest, mediaType, body }, or null when it does not exist. */
  async function manifest(repository, reference) {
    const result = await get(`/v2/${repository}/manifests/${reference}`, [...indexTypes, ...manifestTypes].join(', '));
    if (!result) return null;
    const digest = sha256(result.bytes);
    const announced = result.headers.get('docker-content-digest');
    if (announced && announced !== digest) throw new RegistryError(`${repository}:${reference}: Docker-Content-Digest ${announced} is not the digest of the manifest (${digest})`);
    if (digestPattern.test(reference) && reference !== digest) throw new RegistryError(`${repository}@${reference}: the registry returned ${digest}`);
    const body = JSON.parse(result.bytes.toString('utf8'));
    const mediaType = body.mediaType ?? result.headers.get('content-type')?.split(';')[0];
    return { digest, mediaType, body };
  }

  async function config(repository, imageManifest) {
    const descriptor = imageManifest.body.config;
    if (!configTypes.includes(descriptor?.mediaType) || !digestPattern.test(descriptor?.digest ?? '')) {
      throw new RegistryError(`${repository}@${imageManifest.digest}: not an image (config ${descriptor?.mediaType})`);
    }
    const blob = await get(`/v2/${repository}/blobs/${descriptor.digest}`, descriptor.mediaType);
    if (!blob) throw new RegistryError(`${repository}: config ${descriptor.digest} is missing`);
    if (sha256(blob.bytes) !== descriptor.digest) throw new RegistryError(`${repository}: config ${descriptor.digest} does not match its content`);
    return JSON.parse(blob.bytes.toString('utf8'));
  }

  return {
    manifest,

    /**
     * What `repository:tag` points at: { digest, images: [{ platform, labels }] } with one
     * entry per platform image (an index's attestation manifests left out), or null when
     * the tag does not exist.
     */
    async describe(repository, tag) {
      const top = await manifest(repository, tag);
      if (!top) return null;
      let imageManifests;
      if (indexTypes.includes(top.mediaType)) {
        imageManifests = [];
        for (const descriptor of (top.body.manifests ?? []).filter(isPlatformImage)) {
          const child = await manifest(repository, descriptor.digest);
          if (!child || !manifestTypes.includes(child.mediaType)) {
            throw new RegistryError(`${repository}@${top.digest}: entry ${descriptor.digest} is not an image manifest`);
          }
          imageManifests.push({ platform: descriptor.platform, manifest: child });
        }
        if (imageManifests.length === 0) throw new RegistryError(`${repository}:${tag}: the index lists no platform image`);
      } else if (manifestTypes.includes(top.mediaType)) {
        imageManifests = [{ platform: undefined, manifest: top }];
      } else {
        throw new RegistryError(`${repository}:${tag}: unsupported media type ${top.mediaType}`);
      }
      const images = [];
      for (const { platform, manifest: imageManifest } of imageManifests) {
        const { config: { Labels: labels = {} } = {}, os, architecture } = await config(repository, imageManifest);
        images.push({ platform: platform ?? { os, architecture }, labels: labels ?? {} });
      }
      return { digest: top.digest, images };
    },
  };
}
