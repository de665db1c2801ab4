// The pieces of Argo CD that the ApplicationSet test reproduces behave like Argo CD.
import assert from "node:assert/strict";
import { test } from "node:test";
import { generateApplications, pullRequestParams, setImage } from "../testlib/argocd.js";
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

test("a matrix of pullRequest and list generators yields one Application per pull request and element", () => {
  const applicationSet = {
    metadata: { name: "demo", namespace: "argocd" },
    spec: {
      goTemplate: true,
      goTemplateOptions: strict,
      generators: [{
        matrix: {
          generators: [
            { pullRequest: { github: { owner: "o", repo: "r" } } },
            { list: { elements: [{ service: "a" }, { service: "b", number: "shadowed" }] } },
          ],
        },
      }],
      template: { metadata: { name: "{{.service}}-pr-{{.number}}" }, spec: { project: "p" } },
    },
  };
  const prs = [1, 2].map((number) => ({ number, headSha: `${number}`.repeat(40) }));
  const names = generateApplications(applicationSet, prs).map((app) => app.metadata.name);
  // The first child's parameters win a conflict, as with Argo CD's merge.
  assert.deepEqual(names, ["a-pr-1", "b-pr-1", "a-pr-2", "b-pr-2"]);
  applicationSet.spec.template.metadata.name = "{{.service}}";
  assert.throws(() => generateApplications(applicationSet, prs), /generates a twice/);
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
