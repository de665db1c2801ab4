// .github/scripts/bump-overlay.sh, as release.yml runs it, on a copy of the manifests: it
// pins an environment's overlays to <version>@<digest> from the digests the release run
// pushed, or copies what staging runs, and refuses anything else. The overlays are rendered
// with the real `kubectl kustomize`; `kustomize edit set image` and `docker buildx
// imagetools inspect` are stand-ins on PATH (no kustomize binary or Docker engine here).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { repoRoot } from './support/repo.mjs';

const prefix = 'ghcr.io/example-org';
const digest = (c) => `sha256:${c.repeat(64)}`;
const yamlModule = createRequire(import.meta.url).resolve('yaml');

/** A checkout with the scripts and manifests, and PATH stand-ins for kustomize's edit and docker. */
function checkout(existing = []) {
  const root = mkdtempSync(join(tmpdir(), 'bump-'));
  cpSync(join(repoRoot, '.github/scripts'), join(root, '.github/scripts'), { recursive: true });
  cpSync(join(repoRoot, 'manifests-microservices/kustomize'), join(root, 'manifests-microservices/kustomize'), { recursive: true });
  const bin = join(root, 'bin');
  mkdirSync(bin);
  // kustomize edit set image <name>:<tag>@<digest>: the entry of that name becomes exactly that (setimage.go).
  writeFileSync(join(bin, 'edit-set-image.mjs'), `
import { readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from ${JSON.stringify(yamlModule)};
const [, , arg] = process.argv;
const match = /^(.+?):([^:/@]+)@(sha256:[0-9a-f]{64})$/.exec(arg);
if (!match) { console.error('stand-in takes <name>:<tag>@<digest> only: ' + arg); process.exit(1); }
const doc = parseDocument(readFileSync('kustomization.yaml', 'utf8'));
const images = (doc.toJS().images ?? []).filter((i) => i.name !== match[1]);
doc.set('images', [...images, { name: match[1], newTag: match[2], digest: match[3] }]);
writeFileSync('kustomization.yaml', doc.toString());
`);
  writeFileSync(join(bin, 'kustomize'), `#!/usr/bin/env bash
set -euo pipefail
case "$1" in
  build) exec kubectl kustomize "$2" ;;
  edit) [ "$2 $3" = "set image" ] && exec node "${bin}/edit-set-image.mjs" "$4" ;;
esac
echo "kustomize stand-in: $*" >&2; exit 2
`);
  writeFileSync(join(root, 'registry'), existing.join('\n'));
  writeFileSync(join(bin, 'docker'), `#!/usr/bin/env bash
[ "$1 $2 $3" = "buildx imagetools inspect" ] && grep -qxF "$4" "${join(root, 'registry')}"
`);
  for (const file of ['kustomize', 'docker']) chmodSync(join(bin, file), 0o755);
  const overlay = (service, environment) => join(root, 'manifests-microservices/kustomize', service, 'overlays', environment, 'kustomization.yaml');
  return {
    root,
    /** Runs the script: { code, stdout, stderr }. */
    bump: (...args) => new Promise((resolve) => {
      execFile('bash', ['.github/scripts/bump-overlay.sh', ...args], {
        cwd: root, env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: 60_000,
      }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
    }),
    /** The images: entry of a service's overlay. */
    pin: (service, environment) => parse(readFileSync(overlay(service, environment), 'utf8')).images.find((i) => i.name === `${prefix}/${service}`),
    digests(values) {
      const dir = join(root, 'digests');
      mkdirSync(dir, { recursive: true });
      for (const [service, value] of Object.entries(values)) writeFileSync(join(dir, service), `${value}\n`);
      return dir;
    },
  };
}

describe('bump-overlay.sh', () => {
  test('pins staging to the digests the release run pushed, renders them, and leaves the other environments alone', async () => {
    const repo = checkout([`${prefix}/api-service@${digest('1')}`, `${prefix}/store-service@${digest('2')}`]);
    const before = repo.pin('api-service', 'production');
    const result = await repo.bump('staging', '1.4.0', prefix, '--digests', repo.digests({ 'api-service': digest('1'), 'store-service': digest('2') }));
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(repo.pin('api-service', 'staging'), { name: `${prefix}/api-service`, newTag: '1.4.0', digest: digest('1') });
    assert.deepEqual(repo.pin('store-service', 'staging'), { name: `${prefix}/store-service`, newTag: '1.4.0', digest: digest('2') });
    assert.match(result.stdout, new RegExp(`overlays/staging -> ${prefix}/api-service:1\\.4\\.0@${digest('1')}`));
    assert.deepEqual(repo.pin('api-service', 'production'), before);
  });

  test('promotes exactly what staging runs, and only when it runs that version', async () => {
    const repo = checkout([`${prefix}/api-service@${digest('1')}`, `${prefix}/store-service@${digest('2')}`]);
    assert.equal((await repo.bump('staging', '1.4.0', prefix, '--digests', repo.digests({ 'api-service': digest('1'), 'store-service': digest('2') }))).code, 0);
    const wrong = await repo.bump('production', '1.5.0', prefix, '--from', 'staging');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stdout, new RegExp(`staging runs '${prefix}/api-service:1\\.4\\.0@${digest('1')}', not ${prefix}/api-service:1\\.5\\.0`));
    const promoted = await repo.bump('production', '1.4.0', prefix, '--from', 'staging');
    assert.equal(promoted.code, 0, promoted.stderr);
    assert.deepEqual(repo.pin('store-service', 'production'), { name: `${prefix}/store-service`, newTag: '1.4.0', digest: digest('2') });
  });

  test('refuses a missing or malformed digest, and one the registry does not have', async () => {
    const repo = checkout([`${prefix}/api-service@${digest('1')}`]);
    const missing = await repo.bump('staging', '1.4.0', prefix, '--digests', repo.digests({ 'api-service': digest('1') }));
    assert.equal(missing.code, 1);
    assert.match(missing.stdout, /no digest of store-service for 1\.4\.0/);
    const malformed = await repo.bump('staging', '1.4.0', prefix, '--digests', repo.digests({ 'api-service': 'latest', 'store-service': digest('2') }));
    assert.match(malformed.stdout, /no digest of api-service for 1\.4\.0 \(got 'latest'\)/);
    const absent = await repo.bump('staging', '1.4.0', prefix, '--digests', repo.digests({ 'api-service': digest('1'), 'store-service': digest('3') }));
    assert.equal(absent.code, 1);
    assert.match(absent.stdout, new RegExp(`${prefix}/store-service@${digest('3')} does not exist`));
    const usage = await repo.bump('staging', '1.4.0', prefix);
    assert.equal(usage.code, 2);
  });

  test('fails when the overlay does not render the image (the registry placeholder was not replaced)', async () => {
    const repo = checkout([`ghcr.io/acme/api-service@${digest('1')}`, `ghcr.io/acme/store-service@${digest('2')}`]);
    const result = await repo.bump('staging', '1.4.0', 'ghcr.io/acme', '--digests', repo.digests({ 'api-service': digest('1'), 'store-service': digest('2') }));
    assert.equal(result.code, 1);
    assert.match(result.stdout, /does not render image ghcr\.io\/acme\/api-service:1\.4\.0@sha256:1{64}: its containers must use the image 'ghcr\.io\/acme\/api-service'/);
  });
});
