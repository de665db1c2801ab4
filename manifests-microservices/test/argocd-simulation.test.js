// The pieces of Argo CD that the ApplicationSet test reproduces behave like Argo CD.
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildApplicationSource, generateApplications, pullRequestParams, setImage } from "../testlib/argocd.js";
import { renderGoTemplate } from "../testlib/go-template.js";

const strict = ["missingkey=error"];

test("Go template field actions are substituted, with or without spaces", () => {
  assert.equal(renderGoTemplate("{{.service}}-pr-{{ .number }}", { service: "api", number: "42" }, strict), "api-pr-42");
  assert.equal(renderGoTemplate("{{.a.b}}", { a: { b: "nested" } }, strict), "nested");
  assert.equal(renderGoTemplate("Header(`X-Canary`, `{{.n}}`)", { n: "7" }, strict), "Header(`X-Canary`, `7`)");
});

test("missingkey=error fails on a missing key; Go's default prints <no value>", () => {
  assert.throws(() => renderGoTemplate("pr-{{.numbr}}", { number: "42" }, strict), /no entry for key "numbr"/);
  assert.equal(renderGoTemplate("pr-{{.numbr}}", { number: "42" }, []), "pr-<no value>");
});

test("template syntax that is not simulated is rejected rather than rendered differently", () => {
  assert.throws(() => renderGoTemplate("{{ .branch | lower }}", { branch: "X" }, strict), /unsupported template action/);
  assert.throws(() => renderGoTemplate("{{.labels}}", { labels: ["a"] }, strict), /not a scalar/);
  assert.throws(() => renderGoTemplate("pr-{{.number", { number: "1" }, strict), /unclosed action/);
  assert.throws(() => renderGoTemplate("x", {}, ["missingkey=zero"]), /not simulated/);
});

test("pull request parameters follow Argo CD's generator: number as text, 8- and 7-character short SHAs", () => {
  const params = pullRequestParams({
    number: 42, headSha: "0123456789abcdef0123456789abcdef01234567", branch: "feature/x",
    targetBranch: "main", title: "t", author: "octo", labels: ["canary"],
  });
  assert.equal(params.number, "42");
  assert.equal(params.head_short_sha, "01234567");
  assert.equal(params.head_short_sha_7, "0123456");
  assert.throws(() => params.branch_slug, /not simulated/);
});

const matrixOf = (first, second, template = { metadata: { name: "{{.service}}-pr-{{.number}}" }, spec: { project: "p" } }) => ({
  metadata: { name: "demo", namespace: "argocd" },
  spec: { goTemplate: true, goTemplateOptions: strict, generators: [{ matrix: { generators: [first, second] } }], template },
});
const prs = [1, 2].map((number) => ({ number, headSha: `${number}`.repeat(40), labels: [] }));

test("a matrix of pullRequest and list generators yields one Application per pull request and element", () => {
  const applicationSet = matrixOf(
    { pullRequest: { github: { owner: "o", repo: "r" } } },
    { list: { elements: [{ service: "a" }, { service: "b", number: "shadowed" }] } },
  );
  const names = generateApplications(applicationSet, { pullRequests: prs }).map((app) => app.metadata.name);
  // The first child's parameters win a conflict, as with Argo CD's merge.
  assert.deepEqual(names, ["a-pr-1", "b-pr-1", "a-pr-2", "b-pr-2"]);
  applicationSet.spec.template.metadata.name = "{{.service}}";
  assert.throws(() => generateApplications(applicationSet, { pullRequests: prs }), /generates a twice/);
});

test("the pullRequest generator lists open pull requests carrying every required label", () => {
  const applicationSet = matrixOf(
    { pullRequest: { github: { owner: "o", repo: "r", labels: ["canary", "ok"] } } },
    { list: { elements: [{ service: "s" }] } },
  );
  const pullRequests = [
    { number: 1, headSha: "1".repeat(40), labels: ["canary", "ok", "x"] },
    { number: 2, headSha: "2".repeat(40), labels: ["canary"] },
    { number: 3, headSha: "3".repeat(40), labels: ["canary", "ok"], state: "closed" },
    { number: 4, headSha: "4".repeat(40), labels: ["ok", "canary"], draft: true },
  ];
  const names = generateApplications(applicationSet, { pullRequests }).map((app) => app.metadata.name);
  assert.deepEqual(names, ["s-pr-1", "s-pr-4"], "drafts are listed: the generator has no draft filter");
});

test("the git files generator in a matrix reads the files named by the first child's parameters", () => {
  const applicationSet = matrixOf(
    { pullRequest: { github: { owner: "o", repo: "r" } } },
    { git: { repoURL: "https://git.example/r.git", revision: "state", files: [{ path: "pr-{{.number}}/*.json" }] } },
    { metadata: { name: "{{.service}}-pr-{{.number}}-{{.path.basename}}-{{.path.filename}}" }, spec: { project: "p" } },
  );
  const gitFiles = { "https://git.example/r.git": { state: {
    "pr-1/a.json": '{"service": "a"}', "pr-1/b.json": "service: b\n", "pr-12/a.json": '{"service": "x"}',
    "pr-2/nested/a.json": '{"service": "deep"}', "README.md": "# state",
  } } };
  const names = generateApplications(applicationSet, { pullRequests: prs, gitFiles }).map((app) => app.metadata.name);
  // git's pathspec * also matches "/" (Argo CD lists files with git ls-files by default).
  assert.deepEqual(names, ["a-pr-1-pr-1-a.json", "b-pr-1-pr-1-b.json", "deep-pr-2-nested-a.json"]);
  assert.throws(() => generateApplications(applicationSet, { pullRequests: prs, gitFiles: {} }), /unable to resolve/);
});

test("a PR without matching files yields nothing, not an error", () => {
  const applicationSet = matrixOf(
    { pullRequest: { github: { owner: "o", repo: "r" } } },
    { git: { repoURL: "u", revision: "state", files: [{ path: "pr-{{.number}}/*.json" }] } },
  );
  assert.deepEqual(generateApplications(applicationSet, { pullRequests: prs, gitFiles: { u: { state: {} } } }), []);
});

test("generator features that are not simulated fail instead of being ignored", () => {
  const git = { repoURL: "u", revision: "state", files: [{ path: "pr-{{.number}}/*.json" }] };
  const pullRequest = { github: { owner: "o", repo: "r" } };
  const scmState = { pullRequests: prs, gitFiles: { u: { state: { "pr-1/a.json": '{"service": "a"}' } } } };
  const cases = [
    [{ pullRequest: { ...pullRequest, filters: [{ branchMatch: "x" }] } }, { git }, /pullRequest.filters is not simulated/],
    [{ pullRequest: { github: { ...pullRequest.github, appSecretName: "x" } } }, { git }, /github.appSecretName is not simulated/],
    [{ pullRequest }, { git: { ...git, pathParamPrefix: "p" } }, /git.pathParamPrefix is not simulated/],
    [{ pullRequest }, { git: { ...git, files: [{ path: "pr-{{.number}}/*.json", exclude: true }] } }, /exclude is not simulated/],
    [{ pullRequest }, { git: { ...git, files: [{ path: "pr-{{.number}}/**/*.json" }] } }, /only \* and \? are simulated/],
    [{ pullRequest }, { git: { repoURL: "u", revision: "state", directories: [{ path: "*" }] } }, /directories is not simulated/],
  ];
  for (const [first, second, error] of cases) {
    assert.throws(() => generateApplications(matrixOf(first, second), scmState), error);
  }
  const normalized = matrixOf({ pullRequest }, { git }, { metadata: { name: "{{.path.filenameNormalized}}" }, spec: {} });
  assert.throws(() => generateApplications(normalized, scmState), /filenameNormalized is not simulated/);
});

test("an Application's source is built only from a checkout of its own revision", async () => {
  const application = { spec: { source: { repoURL: "https://git.example/r.git", targetRevision: "main", path: "x" } } };
  await assert.rejects(buildApplicationSource(application, { "https://git.example/r.git": { feature: "/" } }),
    /no checkout of https:\/\/git.example\/r.git at main/);
});

test("kustomize edit set image semantics: tag, digest, new name, registry port", () => {
  const kustomization = { images: [{ name: "ghcr.io/o/api", newTag: "1.0.0" }] };
  setImage(kustomization, "ghcr.io/o/api:pr-42-abc1234");
  setImage(kustomization, "localhost:5000/store:2");
  setImage(kustomization, "old=new.example/img@sha256:abc");
  assert.deepEqual(kustomization.images, [
    { name: "ghcr.io/o/api", newTag: "pr-42-abc1234" },
    { name: "localhost:5000/store", newTag: "2" },
    { name: "old", newName: "new.example/img", digest: "sha256:abc" },
  ]);
});
