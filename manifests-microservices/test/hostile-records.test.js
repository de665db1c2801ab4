// Records that cannot escape: hostile and malformed canary records, reconciled the way the
// ApplicationSet controller reconciles them (testlib/argocd.js), never change, block or
// un-prune another PR's Applications, never make an Application claim a stable object,
// and every image a PR canary renders is ghcr.io/<owner>/<service>@sha256:<64 hex>. The
// same for preview records (canary-demo-pr-preview): a PR's preview host only ever serves
// pr-<n>.<dev host>, sets X-Canary: <n> and reaches api-service or api-service-pr-<n>.
// Where Argo CD cannot isolate a bad file (one that is not an object, or an array with
// something else in it, fails the whole generator), the recorder's schema refuses it and
// the state store never pushes it (.github/scripts/canary-state.mjs): the recorder is the
// only writer of canary-state (docs/delivery.md).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { serializeRecord, stateFileProblems, stateRecord, validState } from "../../.github/scripts/canary-state.mjs";
import { buildApplicationSource, reconcileApplicationSet } from "../testlib/argocd.js";
import { imageDigest, pr42, pr5, pr7, recordedAt, scm, stateFiles, trustedCheckouts } from "../testlib/canary-fixtures.js";
import { kustomize } from "../testlib/kustomize.js";
import { overlayPath, placeholders, services } from "../testlib/layout.js";
import { only } from "../testlib/objects.js";

/** The attacker: an open, labelled PR of this repository with nothing recorded yet. */
const pr9 = { ...pr42, number: 9, headSha: "9".repeat(40) };
const openPr5 = { ...pr5, state: "open" };
const valid9 = JSON.parse(serializeRecord(stateRecord({ commit: pr9.headSha, digest: imageDigest("api-service", pr9.headSha), recordedAt })));
const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

// The state before the hostile write: PR 42 (api), PR 7 (both services) and PR 5 (api),
// which has been closed since its Application was created; its record is still there.
const baselineFiles = stateFiles([
  { pr: 42, service: "api-service", commit: pr42.headSha },
  { pr: 7, service: "api-service", commit: pr7.headSha },
  { pr: 7, service: "store-service", commit: pr7.headSha },
  { pr: 5, service: "api-service", commit: pr5.headSha },
]);

/** Hostile records that Argo CD isolates: path -> text, added to the baseline state. */
const isolated = {
  "regex and = in the digest": { "pr-9/api-service.json": json({ ...valid9, digest: "sha256:x|.*=evil.example/x:1" }) },
  "= in the commit": { "pr-9/api-service.json": json({ ...valid9, commit: `${"a".repeat(20)}=evil.example/x:1` }) },
  "a foreign registry in the digest": { "pr-9/api-service.json": json({ ...valid9, digest: `evil.example/x@sha256:${"e".repeat(64)}` }) },
  "an upper-case digest": { "pr-9/api-service.json": json({ ...valid9, digest: valid9.digest.toUpperCase() }) },
  "a digest with a trailing newline": { "pr-9/api-service.json": json({ ...valid9, digest: `${valid9.digest}\n` }) },
  "a short commit": { "pr-9/api-service.json": json({ ...valid9, commit: "9999999" }) },
  "numbers, booleans and objects for values": { "pr-9/api-service.json": json({ commit: true, digest: { sha256: "e".repeat(64) } }) },
  "a number that prints as hex digits": { "pr-9/api-service.json": json({ ...valid9, commit: 1234567890 }) },
  "a missing digest": { "pr-9/api-service.json": json({ commit: valid9.commit, recorded_at: recordedAt }) },
  "a missing commit": { "pr-9/api-service.json": json({ digest: valid9.digest }) },
  "an empty object": { "pr-9/api-service.json": "{}\n" },
  null: { "pr-9/api-service.json": "null\n" },
  "an empty file": { "pr-9/api-service.json": "" },
  "an empty array": { "pr-9/api-service.json": "[]\n" },
  "two records for one service in one file": { "pr-9/api-service.json": json([valid9, { ...valid9, digest: imageDigest("x", "y") }]) },
  "two records for one service, one nested": { "pr-9/api-service.json": json(valid9), "pr-9/nested/api-service.json": json(valid9) },
  "a second record for another PR's service, nested in its folder": { "pr-7/nested/api-service.json": json(valid9) },
  "a record in its folder naming another PR": { "pr-9/pr-7/api-service.json": json(valid9), "pr-9/api-service-pr-7.json": json(valid9) },
  "an unknown service": { "pr-9/web.json": json(valid9), "pr-9/stable.json": json(valid9) },
  "file names that are no Kubernetes name": { "pr-9/API Service.json": json(valid9), "pr-9/{{.number}}.json": json(valid9), "pr-9/a:b.json": json(valid9) },
  "regex and = in a file name": { "pr-9/x|.*=evil.example.json": json(valid9), "pr-9/api-service=evil.json": json(valid9) },
  "regex and = in the one value the template ignores": { "pr-9/api-service.json": json({ ...valid9, recorded_at: "x|.*=evil.example/x:1" }) },
  "extra keys that name another PR, service, path or image": {
    "pr-9/api-service.json": json({ ...valid9, number: "7", service: "store-service", path: { path: "pr-7" }, values: { x: "y" }, image: "evil.example/x:1" }),
  },
};

/** Files Argo CD cannot isolate: the git generator fails, and with it the whole reconcile. */
const unisolable = {
  "a string": '"x|.*=evil.example/x:1"\n',
  "a number": "42\n",
  "a boolean": "true\n",
  "an array with a string in it": `[${JSON.stringify(valid9)}, "x"]\n`,
  "broken JSON": '{"commit": \n',
};

const pullRequests = [pr42, pr7, pr5, pr9];
const stableServicePattern = (service) => new RegExp(`^${placeholders.registry}/${service}@sha256:[0-9a-f]{64}$`);

let applicationSet;
let previewSet;
let before5Closed; // what the ApplicationSet owned while PR 5 was open
let clean; // the reconcile after PR 5 closed, with no hostile record
let stableObjects;
const builds = new Map();

async function build(application) {
  const key = JSON.stringify(application.spec.source);
  if (!builds.has(key)) builds.set(key, buildApplicationSource(application, trustedCheckouts()));
  return builds.get(key);
}

const byName = (applications) => Object.fromEntries(applications.map((a) => [a.metadata.name, a]));
const ofPr = (applications, pr) => applications.filter((a) => a.metadata.labels["canary-demo/pr"] === String(pr));

before(async () => {
  const applicationSets = await kustomize("manifests-microservices/applications/pr-canaries");
  applicationSet = only(applicationSets, "ApplicationSet", "canary-demo-pr");
  previewSet = only(applicationSets, "ApplicationSet", "canary-demo-pr-preview");
  before5Closed = reconcileApplicationSet(applicationSet, scm([pr42, pr7, openPr5, pr9], baselineFiles)).applications;
  clean = reconcileApplicationSet(applicationSet, scm(pullRequests, baselineFiles), { current: before5Closed });
  stableObjects = [];
  for (const service of services) stableObjects.push(...(await kustomize(overlayPath(service, "integration-001"))));
});

describe("the baseline", () => {
  test("PR 5's Application existed while it was open, and is pruned once it is closed", () => {
    assert.ok(byName(before5Closed)["api-service-pr-5"]);
    assert.equal(clean.stopped, undefined);
    assert.deepEqual(Object.keys(byName(clean.applications)).sort(), ["api-service-pr-42", "api-service-pr-7", "store-service-pr-7"]);
  });
});

describe("hostile records Argo CD isolates", () => {
  for (const [name, files] of Object.entries(isolated)) {
    test(`${name}: other PRs unchanged and pruned as usual, nothing unchecked in the cluster`, async () => {
      const result = reconcileApplicationSet(applicationSet, scm(pullRequests, { ...baselineFiles, ...files }), { current: before5Closed });
      assert.equal(result.stopped, undefined, "the reconcile runs to the end");
      const applications = byName(result.applications);
      assert.equal(applications["api-service-pr-5"], undefined, "the closed PR is still pruned");
      // Every PR the hostile files do not belong to keeps exactly its Applications.
      const touched = new Set(Object.keys(files).map((path) => Number(/^pr-(\d+)\//.exec(path)[1])));
      for (const pr of [42, 7].filter((n) => !touched.has(n))) {
        assert.deepEqual(ofPr(result.applications, pr), ofPr(clean.applications, pr), `PR ${pr}`);
      }
      // A PR whose own folder got a hostile file keeps what it had (frozen), or runs a digest and commit that a
      // record directly in its folder, for that service, holds and that pass the checks; never anything else.
      for (const pr of touched) {
        for (const application of ofPr(result.applications, pr)) {
          const before = byName(clean.applications)[application.metadata.name];
          if (before && JSON.stringify(before) === JSON.stringify(application)) continue;
          const service = application.metadata.labels["canary-demo/service"];
          const record = JSON.parse(files[`pr-${pr}/${service}.json`] ?? baselineFiles[`pr-${pr}/${service}.json`]);
          assert.match(record.digest, /^sha256:[0-9a-f]{64}$/);
          assert.match(record.commit, /^[0-9a-f]{40}$/);
          assert.deepEqual(application.spec.source.kustomize.images, [`${placeholders.registry}/${service}@${record.digest}`]);
          assert.equal(application.metadata.annotations["canary-demo/commit"], record.commit);
        }
      }
      for (const application of result.applications) {
        const service = application.metadata.labels["canary-demo/service"];
        assert.ok(services.includes(service), application.metadata.name);
        assert.equal(application.metadata.name, `${service}-pr-${application.metadata.labels["canary-demo/pr"]}`);
        assert.deepEqual(application.spec.destination, { name: "dev", namespace: "apps" });
        const objects = await build(application);
        assert.match(only(objects, "Deployment").spec.template.spec.containers[0].image, stableServicePattern(service), application.metadata.name);
        for (const object of objects) {
          assert.ok(!stableObjects.some((s) => s.kind === object.kind && s.metadata.name === object.metadata.name),
            `${application.metadata.name} renders stable's ${object.kind}/${object.metadata.name}`);
        }
      }
      // The recorder would never have written the hostile files, and drops them when it finds them.
      assert.notDeepEqual(validState(files).dropped, []);
    });
  }

  test("a record that passes keeps its PR's canary running while a later hostile one sits next to it", () => {
    const files = { ...baselineFiles, ...stateFiles([{ pr: 9, service: "api-service", commit: pr9.headSha }]) };
    const first = reconcileApplicationSet(applicationSet, scm(pullRequests, files), { current: clean.applications });
    assert.ok(byName(first.applications)["api-service-pr-9"]);
    const hostile = { ...files, "pr-9/store-service.json": json({ ...valid9, digest: "x|.*=evil.example/x:1" }) };
    const second = reconcileApplicationSet(applicationSet, scm(pullRequests, hostile), { current: first.applications });
    assert.deepEqual(byName(second.applications)["api-service-pr-9"], byName(first.applications)["api-service-pr-9"]);
    assert.equal(byName(second.applications)["store-service-pr-9"], undefined);
    assert.deepEqual([...second.errors.keys()], ["store-service-pr-9"]);
  });

  test("the checks can fail: the same hostile digest without templatePatch's checks would reach kustomize", () => {
    const unchecked = structuredClone(applicationSet);
    unchecked.spec.templatePatch = unchecked.spec.templatePatch.replace(/^\{\{- if and .*$/m, "{{- if true }}");
    assert.notEqual(unchecked.spec.templatePatch, applicationSet.spec.templatePatch);
    const { applications } = reconcileApplicationSet(unchecked, scm(pullRequests, { ...baselineFiles, ...isolated["regex and = in the digest"] }));
    assert.deepEqual(byName(applications)["api-service-pr-9"].spec.source.kustomize.images,
      [`${placeholders.registry}/api-service@sha256:x|.*=evil.example/x:1`]);
  });
});

describe("files Argo CD cannot isolate", () => {
  for (const [name, text] of Object.entries(unisolable)) {
    test(`${name}: stops every reconcile (nothing pruned), so the recorder refuses it and never pushes it`, () => {
      const files = { ...baselineFiles, "pr-9/api-service.json": text };
      const result = reconcileApplicationSet(applicationSet, scm(pullRequests, files), { current: before5Closed });
      assert.match(result.stopped, /unable to process file 'pr-9\/api-service\.json'/);
      assert.equal(result.applications, before5Closed, "even the closed PR's Application stays");
      assert.notDeepEqual(stateFileProblems("pr-9/api-service.json", text), []);
      assert.deepEqual(validState(files).dropped, ["pr-9/api-service.json"], "the recorder drops it from the branch on its next write");
    });
  }

  test("a PR without the label is not listed, so not even such a file of it is read", () => {
    const unlabelled = { ...pr9, labels: ["bug"] };
    const files = { ...baselineFiles, "pr-9/api-service.json": unisolable["a string"] };
    const result = reconcileApplicationSet(applicationSet, scm([pr42, pr7, pr5, unlabelled], files), { current: before5Closed });
    assert.equal(result.stopped, undefined);
    assert.equal(byName(result.applications)["api-service-pr-5"], undefined);
  });
});

/** Hostile preview records in the attacker's own folder (or named like it) that Argo CD isolates. */
const isolatedPreviews = {
  "another PR's track": json({ api: "pr-7" }),
  "a Service name": json({ api: "api-service-pr-7" }),
  "another PR's host": json({ api: "pr-7.api.dev.example.com" }),
  "regex and = in the value": json({ api: "x|.*=evil.example/x:1" }),
  "a trailing newline": json({ api: "stable\n" }),
  "upper case": json({ api: "STABLE" }),
  "a number": json({ api: 9 }),
  "an object": json({ api: { pr: "7" } }),
  null: "null\n",
  "an empty file": "",
  "an empty object": "{}\n",
  "an empty array": "[]\n",
  "two records in one file": json([{ api: "stable" }, { api: "pr-9" }]),
  "extra keys that name another PR, path or host": json({ api: "stable", number: "7", path: { path: "pr-7", filename: "preview.json" }, host: "pr-7.x" }),
  "its own track without an api canary": json({ api: "pr-9" }),
};

describe("hostile preview records Argo CD isolates", () => {
  let cleanPreviews;
  before(() => {
    cleanPreviews = reconcileApplicationSet(previewSet, scm(pullRequests, baselineFiles));
    assert.equal(cleanPreviews.stopped, undefined);
    assert.deepEqual(Object.keys(byName(cleanPreviews.applications)).sort(), ["preview-pr-42", "preview-pr-7"]);
  });

  const cases = {
    ...Object.fromEntries(Object.entries(isolatedPreviews).map(([name, text]) => [name, { "pr-9/preview.json": text }])),
    "a folder named like the record": { "pr-9/preview.json/x.json": json({ api: "stable" }) },
    "another PR's record nested in its folder": { "pr-9/pr-7/preview.json": json({ api: "pr-7" }), "pr-7/nested/preview.json": json({ api: "stable" }) },
  };
  for (const [name, files] of Object.entries(cases)) {
    test(`${name}: other PRs' hosts unchanged, the canaries unchanged, and a host only ever serves its own PR`, async () => {
      const all = { ...baselineFiles, ...files };
      const result = reconcileApplicationSet(previewSet, scm(pullRequests, all), { current: cleanPreviews.applications });
      assert.equal(result.stopped, undefined, "the reconcile runs to the end");
      for (const pr of [42, 7]) assert.deepEqual(ofPr(result.applications, pr), ofPr(cleanPreviews.applications, pr), `PR ${pr}`);
      // The canaries never read a preview record.
      const canaries = reconcileApplicationSet(applicationSet, scm(pullRequests, all), { current: before5Closed });
      assert.deepEqual(canaries.applications, clean.applications);
      for (const application of result.applications) {
        const pr = application.metadata.labels["canary-demo/pr"];
        assert.equal(application.metadata.name, `preview-pr-${pr}`);
        assert.deepEqual(application.spec.destination, { name: "dev", namespace: "apps" });
        const objects = await build(application);
        const [rule] = only(objects, "IngressRoute").spec.routes;
        assert.equal(rule.match, `Host(\`pr-${pr}.${placeholders.devHost}\`)`);
        assert.ok(["api-service", `api-service-pr-${pr}`].includes(rule.services[0].name), rule.services[0].name);
        const header = objects.find((o) => o.kind === "Middleware" && o.spec.headers);
        assert.deepEqual(header.spec.headers.customRequestHeaders, { "X-Canary": pr });
        for (const object of objects) {
          assert.match(object.metadata.name, new RegExp(`-pr-${pr}$`));
          assert.ok(!stableObjects.some((o) => o.kind === object.kind && o.metadata.name === object.metadata.name));
        }
      }
      // The recorder would never have written the hostile files, and drops them when it finds them.
      assert.notDeepEqual(validState(all).dropped, []);
    });
  }

  test("the checks can fail: without templatePatch's checks a malformed record would get a host", () => {
    const unchecked = structuredClone(previewSet);
    unchecked.spec.templatePatch = unchecked.spec.templatePatch.replace(/^\{\{- if and .*$/m, "{{- if true }}");
    assert.notEqual(unchecked.spec.templatePatch, previewSet.spec.templatePatch);
    const files = { ...baselineFiles, "pr-9/preview.json": isolatedPreviews["regex and = in the value"] };
    assert.ok(byName(reconcileApplicationSet(unchecked, scm(pullRequests, files)).applications)["preview-pr-9"]);
    assert.equal(byName(reconcileApplicationSet(previewSet, scm(pullRequests, files)).applications)["preview-pr-9"], undefined);
  });

  for (const [name, text] of Object.entries(unisolable)) {
    test(`${name}: stops only the preview hosts' reconcile, never the canaries', and the recorder refuses it`, () => {
      const files = { ...baselineFiles, "pr-9/preview.json": text };
      const previews = reconcileApplicationSet(previewSet, scm(pullRequests, files), { current: cleanPreviews.applications });
      assert.match(previews.stopped, /unable to process file 'pr-9\/preview\.json'/);
      const canaries = reconcileApplicationSet(applicationSet, scm(pullRequests, files), { current: before5Closed });
      assert.equal(canaries.stopped, undefined);
      assert.deepEqual(canaries.applications, clean.applications, "closed PR 5 is still pruned");
      assert.notDeepEqual(stateFileProblems("pr-9/preview.json", text), []);
      assert.deepEqual(validState(files).dropped, ["pr-9/preview.json"]);
    });
  }
});
