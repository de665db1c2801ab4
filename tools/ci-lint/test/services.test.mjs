// Which services a PR touches (pr-canary.yml builds those and copies the others).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { filtersTable, projectOf, touchedServices } from '../../../.github/scripts/services.mjs';
import { readRepoFile, scriptsDir } from './support/repo.mjs';

const both = ['api-service', 'store-service'];

describe('touchedServices', () => {
  test('a service folder touches that service only', () => {
    assert.deepEqual(touchedServices(['ApiService/Program.cs']), ['api-service']);
    assert.deepEqual(touchedServices(['StoreService/Dockerfile']), ['store-service']);
    assert.deepEqual(touchedServices(['ApiService/A.cs', 'StoreService/B.cs']), both);
  });

  test('shared build inputs touch both services', () => {
    for (const path of ['Shared.Canary/CanaryValue.cs', 'protos/store/v1/store.proto', 'Directory.Build.props',
      'Directory.Packages.props', 'global.json', 'scripts/publish-aot.sh', '.dockerignore']) {
      assert.deepEqual(touchedServices([path]), both, path);
    }
  });

  test('tests, docs, manifests and look-alike paths touch nothing', () => {
    for (const path of ['tests/ApiService.Tests/ItemsTests.cs', 'tests/Directory.Build.props', 'docs/plan.md',
      'manifests-microservices/kustomize/api-service/base/deployment.yaml', 'ApiServiceX/a.cs', 'scripts/test']) {
      assert.deepEqual(touchedServices([path]), [], path);
    }
  });

  test('docs/delivery.md shows exactly these path filters (one list, not a copy that drifts)', () => {
    assert.ok(readRepoFile('docs/delivery.md').includes(`\n${filtersTable()}\n`), filtersTable());
  });

  test('globs: * stays in a segment, ** spans segments, dots are literal', () => {
    assert.deepEqual(touchedServices(['Directory.Build.props']), both);
    assert.deepEqual(touchedServices(['DirectoryXBuild.props']), []);
    assert.deepEqual(touchedServices(['sub/Directory.Build.props']), []);
    assert.deepEqual(touchedServices(['protos/store/v1/deep/x.proto']), both);
    assert.deepEqual(touchedServices(['global.jsonx']), []);
  });

  test('projectOf maps service names to project folders and rejects others', () => {
    assert.equal(projectOf('api-service'), 'ApiService');
    assert.equal(projectOf('store-service'), 'StoreService');
    assert.throws(() => projectOf('web'), /unknown service 'web'/);
  });
});

describe('services.mjs CLI on a real git history', () => {
  const cli = join(scriptsDir, 'services.mjs');
  const repo = mkdtempSync(join(tmpdir(), 'touched-'));
  const git = (...args) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' }).trim();
  const commit = (path, content) => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
    git('add', path);
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', path);
    return git('rev-parse', 'HEAD');
  };
  const touched = (base, head) => {
    const result = spawnSync(process.execPath, [cli, 'touched', base, head], { cwd: repo, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    return JSON.parse(result.stdout);
  };

  git('init', '-q', '-b', 'main');
  commit('ApiService/Program.cs', 'v1');
  commit('StoreService/Program.cs', 'v1');
  const forkPoint = git('rev-parse', 'HEAD');
  git('switch', '-q', '-c', 'feature');
  const head = commit('ApiService/Program.cs', 'v2');
  git('switch', '-q', 'main');
  const movedBase = commit('StoreService/Program.cs', 'v2 on main');

  test('reports what the PR changed since it forked, not what main did meanwhile', () => {
    assert.deepEqual(touched(forkPoint, head), ['api-service']);
    assert.deepEqual(touched(movedBase, head), ['api-service']);
  });

  test('names lists the services; unknown commands fail', () => {
    const names = spawnSync(process.execPath, [cli, 'names'], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(names.stdout), both);
    const bad = spawnSync(process.execPath, [cli, 'project', 'web'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown service 'web'/);
  });
});
