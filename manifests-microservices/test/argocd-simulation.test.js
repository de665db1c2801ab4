// The pieces of Argo CD (and of kustomize) that the ApplicationSet tests reproduce behave
// like Argo CD v3.5.1 and kustomize v5.5.0 (sources: testlib/argocd.js, testlib/go-template.js).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { stringify } from "yaml";
import {
  applyTemplatePatch, buildApplicationSource, generateApplications, gitFileObjects, pullRequestParams, reconcileApplicationSet, setImage,
  validateApplications,
} from "../testlib/argocd.js";
import { renderGoTemplate } from "../testlib/go-template.js";
import { kustomize } from "../testlib/kustomize.js";

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
  assert.throws(() => renderGoTemplate("{{ .branch | lower }}", { branch: "X" }, strict), /unsupported template syntax/);
  assert.throws(() => renderGoTemplate("{{ lower .branch }}", { branch: "X" }, strict), /function lower is not simulated/);
  assert.throws(() => renderGoTemplate("{{ range .labels }}x{{ end }}", { labels: ["a"] }, strict), /range.*not simulated/);
  assert.throws(() => renderGoTemplate("{{.labels}}", { labels: ["a"] }, strict), /not a scalar/);
  assert.throws(() => renderGoTemplate("pr-{{.number", { number: "1" }, strict), /unclosed action/);
  assert.throws(() => renderGoTemplate("{{ if .a }}x", { a: "1" }, strict), /missing \{\{end\}\}/);
  assert.throws(() => renderGoTemplate("x", {}, ["missingkey=zero"]), /not simulated/);
  assert.throws(() => renderGoTemplate("{{ regexMatch `\\bx` .a }}", { a: "x" }, strict), /not simulated/);
});

test("variables, if/else if/else, trim markers and comments follow text/template", () => {
  const template = '{{- /* a comment */ -}}\n  {{- $s := trimSuffix ".json" .f }}\n{{- if eq $s "a" }}A{{ else if eq $s "b" }}B {{- $s -}} {{ else }}other{{ end -}}\n  !';
  assert.equal(renderGoTemplate(template, { f: "a.json" }, strict), "A!");
  assert.equal(renderGoTemplate(template, { f: "b.json" }, strict), "Bb!");
  assert.equal(renderGoTemplate(template, { f: "c.yaml" }, strict), "other!");
  // A variable declared in a block is gone after it.
  assert.throws(() => renderGoTemplate("{{ if true }}{{ $x := 1 }}{{ end }}{{ $x }}", {}, strict), /undefined variable/);
});

test("index yields nil for a missing key even with missingkey=error; a field chain fails", () => {
  const params = { digest: "sha256:x" };
  assert.equal(renderGoTemplate('{{ toString (index . "commit") }}', params, strict), "<nil>");
  assert.throws(() => renderGoTemplate("{{ toString .commit }}", params, strict), /no entry for key "commit"/);
  assert.throws(() => renderGoTemplate('{{ index .list 3 }}', { list: ["a"] }, strict), /index out of range/);
});

test("and stops at the first false value; toString prints values the way Go's %v does", () => {
  // The second argument would fail (a number is not a string); and never evaluates it.
  assert.equal(renderGoTemplate('{{ if and (eq .a "x") (regexMatch "y" .n) }}yes{{ else }}no{{ end }}', { a: "z", n: 1 }, strict), "no");
  assert.throws(() => renderGoTemplate('{{ regexMatch "y" .n }}', { n: 1 }, strict), /not a string/);
  const printed = (value) => renderGoTemplate("{{ toString .v }}", { v: value }, strict);
  assert.equal(printed(5), "5");
  assert.equal(printed(123456), "123456");
  assert.equal(printed(1234567), "1.234567e+06");
  assert.equal(printed(1e21), "1e+21");
  assert.equal(printed(0.00001), "1e-05");
  assert.equal(printed(true), "true");
  assert.equal(printed(null), "<nil>");
  assert.equal(printed({ b: 1, a: ["x", 2] }), "map[a:[x 2] b:1]");
  assert.equal(renderGoTemplate('{{ printf "pr-%s" .n }}', { n: "7" }, strict), "pr-7");
  assert.equal(renderGoTemplate("{{ len .l }}", { l: ["a", "b"] }, strict), "2");
  assert.throws(() => renderGoTemplate('{{ eq .n "1" }}', { n: 1 }, strict), /not simulated/);
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

test("a literal git files path matches that file, or every file under it as a folder, as git ls-files does", () => {
  const applicationSet = matrixOf(
    { pullRequest: { github: { owner: "o", repo: "r" } } },
    { git: { repoURL: "u", revision: "state", files: [{ path: "pr-{{.number}}/preview.json" }] } },
    { metadata: { name: "{{.path.path}}/{{.path.filename}}" }, spec: { project: "p" } },
  );
  const files = {
    "pr-1/preview.json": "{}", "pr-1/preview.jsonx": "{}", "pr-1/a/preview.json": "{}", "PR-1/preview.json": "{}",
    "pr-2/preview.json/x.json": "{}", "pr-2/preview.json/y": "{}", "pr-12/preview.json": "{}",
  };
  const names = generateApplications(applicationSet, { pullRequests: prs, gitFiles: { u: { state: files } } }).map((app) => app.metadata.name);
  assert.deepEqual(names, ["pr-1/preview.json", "pr-2/preview.json/x.json", "pr-2/preview.json/y"]);
  // The same files in a real repository, listed the way Argo CD's repo server lists them.
  const repository = mkdtempSync(join(tmpdir(), "pathspec-"));
  try {
    const git = (...args) => execFileSync("git", ["-C", repository, ...args], { encoding: "utf8" });
    git("init", "--quiet");
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(repository, path)), { recursive: true });
      writeFileSync(join(repository, path), text);
    }
    git("add", "--all");
    const listed = (pattern) => git("ls-files", "--full-name", "-z", "--", pattern).split("\0").filter(Boolean).sort();
    assert.deepEqual([...listed("pr-1/preview.json"), ...listed("pr-2/preview.json")], ["pr-1/preview.json", "pr-2/preview.json/x.json", "pr-2/preview.json/y"]);
    assert.deepEqual(listed("pr-1/*.json"), ["pr-1/a/preview.json", "pr-1/preview.json"]);
  } finally {
    rmSync(repository, { recursive: true, force: true });
  }
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

test("kustomize edit set image: tag, digest, both, a new name, a registry port; the entry is replaced whole", () => {
  const kustomization = { images: [{ name: "ghcr.io/o/api", newTag: "1.0.0", digest: "sha256:old" }] };
  setImage(kustomization, "ghcr.io/o/api@sha256:abc");
  setImage(kustomization, "localhost:5000/store:2");
  setImage(kustomization, "old=new.example/img:1@sha256:def");
  assert.deepEqual(kustomization.images, [
    { name: "ghcr.io/o/api", digest: "sha256:abc" },
    { name: "localhost:5000/store", newTag: "2" },
    { name: "old", newName: "new.example/img", newTag: "1", digest: "sha256:def" },
  ]);
  assert.throws(() => setImage(kustomization, "ghcr.io/o/api"), /invalid format/);
});

test("why a record's values must never reach kustomize unchecked: '=' renames, and the name matches as a regular expression", async () => {
  // What the ApplicationSet would render from a record {"tag": "x|.*=evil.example/x:1"} with
  // the image built as ghcr.io/example-org/api-service:pr-7-<tag> (kustomize 5.5.0 behaviour).
  const dir = mkdtempSync(join(tmpdir(), "edit-set-image-"));
  try {
    const kustomization = { resources: ["deployment.yaml"] };
    writeFileSync(join(dir, "deployment.yaml"), stringify({
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" },
      spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "ghcr.io/example-org/api-service:1.0.0" }] } } },
    }));
    setImage(kustomization, "ghcr.io/example-org/api-service:pr-7-x|.*=evil.example/x:1");
    writeFileSync(join(dir, "kustomization.yaml"), stringify(kustomization));
    const [deployment] = await kustomize(dir);
    assert.equal(deployment.spec.template.spec.containers[0].image, "evil.example/x:1");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a git file is one object, or an array of objects; null and empty count as an empty object; anything else fails", () => {
  assert.deepEqual(gitFileObjects("p", '{"a": "1"}'), [{ a: "1" }]);
  assert.deepEqual(gitFileObjects("p", ""), [{}]);
  assert.deepEqual(gitFileObjects("p", "null"), [{}]);
  assert.deepEqual(gitFileObjects("p", '[{"a": "1"}, null, {"a": "2"}]'), [{ a: "1" }, {}, { a: "2" }]);
  assert.deepEqual(gitFileObjects("p", "[]"), []);
  for (const text of ['"x"', "42", "true", '[{"a": "1"}, 5]', "[[]]", "{"]) {
    assert.throws(() => gitFileObjects("p", text), /unable to process file 'p'/, text);
  }
});

test("templatePatch merges mappings, replaces lists, deletes on null, and never changes the project", () => {
  const application = {
    metadata: { name: "a", annotations: { x: "1" } },
    spec: { project: "p", source: { kustomize: { nameSuffix: "-s", images: ["old"] } }, destination: { name: "dev", namespace: "apps" } },
  };
  const patched = applyTemplatePatch(application, "metadata:\n  annotations:\n    y: '2'\nspec:\n  project: other\n  source:\n    kustomize:\n      images: [new]\n  destination:\n    namespace: null\n");
  assert.deepEqual(patched, {
    metadata: { name: "a", annotations: { x: "1", y: "2" } },
    spec: { project: "p", source: { kustomize: { nameSuffix: "-s", images: ["new"] } }, destination: { name: "dev" } },
  });
  assert.throws(() => applyTemplatePatch(application, "metadata:\n  finalizers: [x]\n"), /own merge strategy/);
  assert.throws(() => applyTemplatePatch(application, "spec:\n  $patch: replace\n"), /directive/);
});

test("validation keeps out every Application of a duplicated name, and those of a missing project or an invalid destination", () => {
  const app = (name, spec = {}) => ({ metadata: { name }, spec: { project: "canary-demo-pr", destination: { name: "dev", namespace: "apps" }, ...spec } });
  const errors = validateApplications([
    app("ok"), app("twice"), app("twice"), app("no-project", { project: "nope" }), app("both", { destination: { name: "dev", server: "https://x.invalid" } }),
    app("unknown-cluster", { destination: { name: "elsewhere" } }), app("no-destination", { destination: { namespace: "apps" } }),
  ]);
  assert.deepEqual([...errors.keys()].sort(), ["both", "no-destination", "no-project", "twice", "unknown-cluster"]);
  assert.match(errors.get("both"), /can't have both name and server/);
});

test("a reconcile: an error while generating changes nothing; a kept-out Application is neither written nor deleted", () => {
  const applicationSet = matrixOf(
    { pullRequest: { github: { owner: "o", repo: "r" } } },
    { git: { repoURL: "u", revision: "state", files: [{ path: "pr-{{.number}}/*.json" }] } },
    { metadata: { name: "{{ .service }}-pr-{{ .number }}" }, spec: { project: "canary-demo-pr", destination: { name: "{{ .cluster }}", namespace: "apps" } } },
  );
  const state = (files) => ({ pullRequests: prs, gitFiles: { u: { state: files } } });
  const first = reconcileApplicationSet(applicationSet, state({ "pr-1/a.json": '{"service": "a", "cluster": "dev"}', "pr-2/a.json": '{"service": "a", "cluster": "dev"}' }));
  assert.equal(first.stopped, undefined);
  assert.deepEqual(first.applications.map((a) => a.metadata.name), ["a-pr-1", "a-pr-2"]);
  // PR 1's record now names no cluster: its Application stays as it was; PR 2's goes with its record.
  const second = reconcileApplicationSet(applicationSet, state({ "pr-1/a.json": '{"service": "a", "cluster": "nowhere"}' }), { current: first.applications });
  assert.deepEqual(second.applications, [first.applications[0]]);
  assert.deepEqual([...second.errors.keys()], ["a-pr-1"]);
  // A file that is not an object fails the generator: nothing changes, PR 2's Application included.
  const stopped = reconcileApplicationSet(applicationSet, state({ "pr-1/a.json": "42" }), { current: first.applications });
  assert.match(stopped.stopped, /unable to process file/);
  assert.equal(stopped.applications, first.applications);
  // A missing key under missingkey=error fails the render of every Application the same way.
  const missing = reconcileApplicationSet(applicationSet, state({ "pr-1/a.json": '{"service": "a"}', "pr-2/a.json": '{"service": "a", "cluster": "dev"}' }), { current: [] });
  assert.match(missing.stopped, /no entry for key "cluster"/);
  assert.deepEqual(missing.applications, []);
  // A name the API refuses stops the reconcile before its deletions.
  const refused = reconcileApplicationSet(applicationSet, state({ "pr-1/a.json": '{"service": "A_B", "cluster": "dev"}' }), { current: first.applications });
  assert.match(refused.stopped, /not a DNS subdomain/);
  assert.ok(refused.applications.some((a) => a.metadata.name === "a-pr-2"), "PR 2 is not pruned");
});
