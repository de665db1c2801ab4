// scripts/publish-aot.sh builds the dotnet command lines that the Dockerfiles and the
// test command's AOT smoke build run. A recording `dotnet` on PATH captures them; the
// real AOT publish is exercised by the test command itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from './support/repo.mjs';

const script = join(repoRoot, 'scripts/publish-aot.sh');

function run(...args) {
  const bin = mkdtempSync(join(tmpdir(), 'fake-dotnet-'));
  const log = join(bin, 'argv');
  writeFileSync(join(bin, 'dotnet'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${log}'\n`);
  chmodSync(join(bin, 'dotnet'), 0o755);
  const result = spawnSync(script, args, {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  let argv;
  try {
    argv = readFileSync(log, 'utf8').trimEnd().split('\n');
  } catch {
    argv = undefined; // dotnet was not called
  }
  return { status: result.status, stderr: result.stderr, argv };
}

const hostRid = { x64: 'linux-x64', arm64: 'linux-arm64' }[arch()];

test('publishes Native AOT in Release for the given RID into the given folder', () => {
  const { status, argv } = run('ApiService', '/tmp/out', 'linux-arm64');
  assert.equal(status, 0);
  assert.deepEqual(argv, [
    'publish', join(repoRoot, 'ApiService/ApiService.csproj'),
    '-c', 'Release', '-r', 'linux-arm64', '-p:PublishAot=true', '-o', '/tmp/out',
  ]);
});

test('defaults the RID to this machine\'s architecture', () => {
  const { status, argv } = run('StoreService', '/tmp/out');
  assert.equal(status, 0);
  assert.equal(argv[argv.indexOf('-r') + 1], hostRid);
});

test('the restore-only step restores exactly what the publish step will ask for', () => {
  // Same RID and PublishAot, so the publish after the cached restore layer is a no-op restore.
  const restore = run('--restore-only', 'StoreService').argv;
  const publish = run('StoreService', '/tmp/out').argv;
  assert.deepEqual(restore, [
    'restore', join(repoRoot, 'StoreService/StoreService.csproj'), '-r', hostRid, '-p:PublishAot=true',
  ]);
  for (const shared of ['-r', hostRid, '-p:PublishAot=true']) assert.ok(publish.includes(shared), shared);
});

test('rejects unknown projects and wrong arguments without calling dotnet', () => {
  for (const args of [['Nope', '/tmp/out'], ['ApiService'], ['--restore-only'], ['ApiService', '/o', 'linux-x64', 'extra']]) {
    const { status, argv, stderr } = run(...args);
    assert.equal(status, 2, args.join(' '));
    assert.equal(argv, undefined, args.join(' '));
    assert.match(stderr, /usage|not found/);
  }
});
