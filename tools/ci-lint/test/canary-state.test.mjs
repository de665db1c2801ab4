// The canary state the ApplicationSet reads: the record schema the recorder holds every
// file to, what recording and withdrawing do, the cap, and that concurrent writers never
// lose each other's records. Against a real git repository.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  StateStore, previewPath, previewRecord, recordChange, recordSchema, serializeRecord, stateFileProblems, stateProblems, stateRecord,
  validState, withPreviews, withdrawChange,
} from '../../../.github/scripts/canary-state.mjs';
import { services } from '../../../.github/scripts/services.mjs';
import { stateRepository } from './support/state-repo.mjs';

const shaA = 'a'.repeat(40);
const shaB = 'b'.repeat(40);
const digestA = `sha256:${'1'.repeat(64)}`;
const digestB = `sha256:${'2'.repeat(64)}`;
const at = '2026-05-01T00:00:00.000Z';
const valid = serializeRecord(stateRecord({ commit: shaA, digest: digestA, recordedAt: at }));
const preview = (api) => `{\n  "api": "${api}"\n}\n`;

describe('the record schema', () => {
  test('a record is exactly commit, digest and recorded_at, in that order, with no key the generators set', () => {
    assert.deepEqual(Object.keys(recordSchema), ['commit', 'digest', 'recorded_at']);
    assert.equal(valid, `{\n  "commit": "${shaA}",\n  "digest": "${digestA}",\n  "recorded_at": "${at}"\n}\n`);
    const generatorKeys = ['number', 'title', 'branch', 'branch_slug', 'target_branch', 'target_branch_slug', 'head_sha',
      'head_short_sha', 'head_short_sha_7', 'author', 'labels', 'path', 'values'];
    assert.deepEqual(Object.keys(recordSchema).filter((k) => generatorKeys.includes(k)), []);
  });

  test('accepts the recorder\'s files only: path pr-<n>/<known service>.json, text exactly as serializeRecord writes it', () => {
    assert.deepEqual(stateFileProblems('pr-42/api-service.json', valid), []);
    assert.deepEqual(stateFileProblems('README.md', 'anything'), []);
    const hostile = {
      'a string': '"x|.*=evil.example/x:1"\n',
      'a number': '42\n',
      'an array': `[${valid}, ${valid}]`,
      null: 'null\n',
      'an empty file': '',
      'an empty object': '{}\n',
      'a missing key': `${JSON.stringify({ commit: shaA, digest: digestA }, null, 2)}\n`,
      'an extra key': `${JSON.stringify({ commit: shaA, digest: digestA, recorded_at: at, number: '7' }, null, 2)}\n`,
      'regex and = in the digest': `${JSON.stringify({ commit: shaA, digest: 'sha256:1|.*=evil.example/x', recorded_at: at }, null, 2)}\n`,
      'a foreign registry': `${JSON.stringify({ commit: shaA, digest: 'evil.example/x@sha256:1', recorded_at: at }, null, 2)}\n`,
      'upper-case hex': `${JSON.stringify({ commit: shaA.toUpperCase(), digest: digestA, recorded_at: at }, null, 2)}\n`,
      'a short commit': `${JSON.stringify({ commit: 'aaaaaaa', digest: digestA, recorded_at: at }, null, 2)}\n`,
      'another digest algorithm': `${JSON.stringify({ commit: shaA, digest: `sha512:${'1'.repeat(128)}`, recorded_at: at }, null, 2)}\n`,
      'a number for a string': `${JSON.stringify({ commit: 1234567, digest: digestA, recorded_at: at }, null, 2)}\n`,
      'a duplicate key': valid.replace('{\n', `{\n  "digest": "${digestB}",\n`),
      'another layout': JSON.stringify({ commit: shaA, digest: digestA, recorded_at: at }),
      YAML: `commit: ${shaA}\ndigest: ${digestA}\nrecorded_at: ${at}\n`,
    };
    for (const [name, text] of Object.entries(hostile)) {
      assert.notDeepEqual(stateFileProblems('pr-42/api-service.json', text), [], name);
    }
    for (const path of ['pr-42/web.json', 'pr-42/nested/api-service.json', 'pr-042/api-service.json', 'pr-42/api-service.yaml', 'api-service.json', 'pr-42/API-service.json']) {
      assert.notDeepEqual(stateFileProblems(path, valid), [], path);
    }
  });

  test('a preview record is {"api": "pr-<n>"} for its own PR or {"api": "stable"}, exactly in the recorder\'s form', () => {
    assert.equal(serializeRecord(previewRecord(42, ['store-service', 'api-service'])), preview('pr-42'));
    assert.equal(serializeRecord(previewRecord(42, ['store-service'])), preview('stable'));
    assert.equal(previewPath(42), 'pr-42/preview.json');
    assert.deepEqual(stateFileProblems('pr-42/preview.json', preview('pr-42')), []);
    assert.deepEqual(stateFileProblems('pr-42/preview.json', preview('stable')), []);
    const hostile = {
      'another PR': preview('pr-7'),
      'a Service name': preview('api-service-pr-42'),
      'a host': preview('pr-42.api.dev.example.com'),
      'a trailing newline in the value': preview('stable\\n'),
      'upper case': preview('STABLE'),
      'an extra key': `${JSON.stringify({ api: 'stable', number: '7' }, null, 2)}\n`,
      'a number': `${JSON.stringify({ api: 42 }, null, 2)}\n`,
      'an array': `[${preview('stable')}]`,
      'a service record': valid,
      'another layout': '{"api":"stable"}',
      'an empty file': '',
    };
    for (const [name, text] of Object.entries(hostile)) assert.notDeepEqual(stateFileProblems('pr-42/preview.json', text), [], name);
    for (const path of ['pr-42/nested/preview.json', 'pr-042/preview.json', 'preview.json', 'pr-42/preview.yaml']) {
      assert.notDeepEqual(stateFileProblems(path, preview('stable')), [], path);
    }
    assert.ok(!services.some((s) => s.name === 'preview'), 'no service may be named like the preview record');
  });

  test('a tree may be pushed only when every folder with records has the preview record they make, and no other', () => {
    const store = serializeRecord(stateRecord({ commit: shaA, digest: digestB, recordedAt: at }));
    const both = { 'pr-7/api-service.json': valid, 'pr-7/store-service.json': store };
    assert.deepEqual(withPreviews(both), { ...both, 'pr-7/preview.json': preview('pr-7') });
    assert.deepEqual(withPreviews({ 'pr-8/store-service.json': store, 'pr-9/preview.json': preview('stable') }),
      { 'pr-8/store-service.json': store, 'pr-8/preview.json': preview('stable') });
    assert.deepEqual(stateProblems(withPreviews(both)), []);
    assert.deepEqual(stateProblems(both), ['pr-7/preview.json: must be {"api":"pr-7"}']);
    assert.deepEqual(stateProblems({ ...both, 'pr-7/preview.json': preview('stable') }), ['pr-7/preview.json: must be {"api":"pr-7"}']);
    assert.deepEqual(stateProblems({ 'pr-9/preview.json': preview('stable') }), ['pr-9/preview.json: its folder records no image']);
  });

  test('stateRecord refuses what the schema refuses', () => {
    assert.throws(() => stateRecord({ commit: 'aaaaaaa', digest: digestA, recordedAt: at }), /commit/);
    assert.throws(() => stateRecord({ commit: shaA, digest: 'latest', recordedAt: at }), /digest/);
    assert.throws(() => stateRecord({ commit: shaA, digest: digestA, recordedAt: 'yesterday' }), /recorded_at/);
  });

  test('validState keeps the valid files and names the others; preview records follow the records that are kept', () => {
    const { files, dropped } = validState({
      'pr-1/api-service.json': valid, 'pr-2/api-service.json': '42', 'pr-2/preview.json': preview('pr-2'), 'pr-3/preview.json': preview('pr-3'),
      'README.md': '#',
    });
    assert.deepEqual(Object.keys(files).sort(), ['README.md', 'pr-1/api-service.json', 'pr-1/preview.json']);
    assert.equal(files['pr-1/preview.json'], preview('pr-1'));
    assert.deepEqual(dropped, ['pr-2/api-service.json', 'pr-2/preview.json', 'pr-3/preview.json']);
  });
});

describe('changes', () => {
  const images = (...services) => services.map((service) => ({ service, digest: digestA }));

  test('recording writes exactly the given services, replacing the PR\'s others; the same image keeps its time', () => {
    const first = recordChange({}, { pr: 7, commit: shaA, images: images('api-service', 'store-service'), now: at, max: 10 }).files;
    assert.equal(first['pr-7/preview.json'], preview('pr-7'));
    const second = recordChange(first, { pr: 7, commit: shaA, images: images('api-service'), now: 'later-ignored', max: 10 }).files;
    assert.deepEqual(Object.keys(second).sort(), ['pr-7/api-service.json', 'pr-7/preview.json']);
    assert.equal(second['pr-7/api-service.json'], first['pr-7/api-service.json']);
    const storeOnly = recordChange(second, { pr: 7, commit: shaA, images: images('store-service'), now: at, max: 10 }).files;
    assert.deepEqual(Object.keys(storeOnly).sort(), ['pr-7/preview.json', 'pr-7/store-service.json']);
    assert.equal(storeOnly['pr-7/preview.json'], preview('stable'), 'without an api image the host serves the stable api');
    const moved = recordChange(second, { pr: 7, commit: shaB, images: [{ service: 'api-service', digest: digestB }], now: '2026-05-02T00:00:00.000Z', max: 10 }).files;
    assert.deepEqual(JSON.parse(moved['pr-7/api-service.json']), { commit: shaB, digest: digestB, recorded_at: '2026-05-02T00:00:00.000Z' });
    assert.deepEqual(withdrawChange(moved, { pr: 7 }), {});
  });

  test('the cap admits no further PR; PRs that hold a slot keep updating', () => {
    let files = {};
    for (const pr of [1, 2]) files = recordChange(files, { pr, commit: shaA, images: images('api-service'), now: at, max: 2 }).files;
    const refused = recordChange(files, { pr: 3, commit: shaA, images: images('api-service'), now: at, max: 2 });
    assert.deepEqual({ admitted: refused.admitted, holders: refused.holders }, { admitted: false, holders: [1, 2] });
    assert.equal(refused.files, files);
    assert.equal(recordChange(files, { pr: 2, commit: shaB, images: images('api-service'), now: at, max: 2 }).admitted, true);
  });

  test('an unknown service is refused', () => {
    assert.throws(() => recordChange({}, { pr: 1, commit: shaA, images: [{ service: 'web', digest: digestA }], now: at, max: 1 }), /unknown service 'web'/);
  });
});

describe('StateStore on a git repository', () => {
  test('creates the branch with the README and the records; a write that changes nothing pushes nothing', () => {
    const repo = stateRepository();
    const store = new StateStore({ remote: repo.remote });
    try {
      const outcome = store.update((files) => recordChange(files, { pr: 42, commit: shaA, images: [{ service: 'api-service', digest: digestA }], now: at, max: 10 }), 'PR #42');
      assert.equal(outcome.changed, true);
      assert.deepEqual(Object.keys(repo.texts()).sort(), ['README.md', 'pr-42/api-service.json', 'pr-42/preview.json']);
      assert.equal(repo.texts()['pr-42/api-service.json'], valid);
      assert.match(repo.texts()['README.md'], /Written only by the canary-recorder workflow/);
      const again = store.update((files) => ({ files }), 'nothing');
      assert.equal(again.changed, false);
      assert.deepEqual(repo.log(), ['PR #42']);
    } finally {
      store.close();
    }
  });

  test('never pushes a tree with an invalid file, whatever the change returns', () => {
    const repo = stateRepository();
    const store = new StateStore({ remote: repo.remote });
    try {
      assert.throws(() => store.update(() => ({ files: { 'pr-1/api-service.json': '"x"' } }), 'bad'), /refusing to push an invalid state: pr-1\/api-service\.json: not a JSON object/);
      assert.throws(() => store.update(() => ({ files: { 'pr-1/api-service.json': valid } }), 'no preview'),
        /refusing to push an invalid state: pr-1\/preview\.json: must be \{"api":"pr-1"\}/);
      assert.deepEqual(repo.files(), {});
    } finally {
      store.close();
    }
  });

  test('writers that race are rebased on each other: nothing is lost, and the cap counts the pushed state', () => {
    const repo = stateRepository();
    const mine = new StateStore({ remote: repo.remote });
    const theirs = new StateStore({ remote: repo.remote });
    const change = (pr, service) => (files) => recordChange(files, { pr, commit: shaA, images: [{ service, digest: digestA }], now: at, max: 2 });
    try {
      let interleaved = false;
      const outcome = mine.update((files) => {
        if (!interleaved) {
          // Another PR's run pushes between this run's fetch and its push.
          interleaved = true;
          theirs.update(change(8, 'store-service'), 'theirs');
        }
        return change(9, 'api-service')(files);
      }, 'mine');
      assert.equal(outcome.admitted, true);
      assert.deepEqual(Object.keys(repo.files()).sort(), ['pr-8/preview.json', 'pr-8/store-service.json', 'pr-9/api-service.json', 'pr-9/preview.json']);
      const full = mine.update(change(10, 'api-service'), 'full');
      assert.deepEqual({ admitted: full.admitted, holders: full.holders }, { admitted: false, holders: [8, 9] });
    } finally {
      mine.close();
      theirs.close();
    }
  });

  test('needs a remote', () => {
    assert.throws(() => new StateStore({}), /STATE_REMOTE is not set/);
  });
});
