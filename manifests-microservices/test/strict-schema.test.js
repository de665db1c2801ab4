// The strict schema check catches what the upstream validators let through.
import assert from "node:assert/strict";
import { test } from "node:test";
import { kustomize } from "../testlib/kustomize.js";
import { overlayPath } from "../testlib/layout.js";
import { only } from "../testlib/objects.js";
import { modelFor, schemaProblems } from "../testlib/schema.js";

const deployment = () => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "demo", labels: { "any/label": "ok" } },
  spec: {
    selector: { matchLabels: { app: "demo" } },
    template: {
      metadata: { labels: { app: "demo" } },
      spec: {
        containers: [{
          name: "demo",
          image: "example/demo:1",
          readinessProbe: { httpGet: { path: "/healthz/ready", port: 8080 } },
          resources: { limits: { cpu: "500m", memory: "128Mi" } },
        }],
      },
    },
  },
});

async function upstreamAccepts(object) {
  const model = await modelFor(object.apiVersion, object.kind);
  assert.doesNotThrow(() => new model(object).validate());
}

test("a correct object has no problems, including arbitrary label keys", async () => {
  assert.deepEqual(await schemaProblems(deployment()), []);
});

test("a misspelled readinessProbe passes the upstream validator but not the strict check", async () => {
  const object = deployment();
  const container = object.spec.template.spec.containers[0];
  container.readynessProbe = container.readinessProbe;
  delete container.readinessProbe;
  await upstreamAccepts(object);
  assert.deepEqual(await schemaProblems(object), [
    "Deployment/demo /spec/template/spec/containers/0/readynessProbe: unknown field",
  ]);
});

test("a misspelled matchLabels in a selector is rejected", async () => {
  const object = deployment();
  object.spec.selector = { matchs: { app: "demo" } };
  await upstreamAccepts(object);
  assert.deepEqual(await schemaProblems(object), ["Deployment/demo /spec/selector/matchs: unknown field"]);
});

test("unknown fields are caught inside custom resources, down to nested generators", async () => {
  const applicationSet = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: "demo" },
    spec: {
      goTemplate: true,
      generators: [{
        matrix: {
          generators: [
            { pullRequest: { github: { owner: "o", repo: "r" }, requeueAfterSecond: 60 } },
            { list: { elements: [{ free: "form", is: "fine" }] } },
          ],
        },
      }],
      template: {
        metadata: { name: "x" },
        spec: { project: "p", source: { repoURL: "u", kustomize: { nameSufix: "-x" } }, destination: {} },
      },
    },
  };
  await upstreamAccepts(applicationSet);
  assert.deepEqual(await schemaProblems(applicationSet), [
    "ApplicationSet/demo /spec/generators/0/matrix/generators/0/pullRequest/requeueAfterSecond: unknown field",
    "ApplicationSet/demo /spec/template/spec/source/kustomize/nameSufix: unknown field",
  ]);
});

test("a misspelled field in a rendered overlay is caught", async () => {
  const objects = await kustomize(overlayPath("store-service", "production"));
  const route = only(objects, "GRPCRoute");
  route.spec.rules[0].backendRef = route.spec.rules[0].backendRefs;
  delete route.spec.rules[0].backendRefs;
  assert.deepEqual(await schemaProblems(route), [
    "GRPCRoute/store-service-stable /spec/rules/0/backendRef: unknown field",
  ]);
});

test("AppProject description is declared although the compiled validator skips it; a typo is not", async () => {
  const project = {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: "demo" },
    spec: { description: "fine", roles: [{ name: "r", description: "fine" }], sourceRepos: ["*"] },
  };
  assert.deepEqual(await schemaProblems(project), []);
  project.spec.descripton = "typo";
  project.spec.destinations = [{ name: "dev", namespace: "apps", description: "not declared here" }];
  assert.deepEqual(await schemaProblems(project), [
    "AppProject/demo /spec/destinations/0/description: unknown field",
    "AppProject/demo /spec/descripton: unknown field",
  ]);
});

test("schema violations are reported with their path", async () => {
  const object = deployment();
  object.spec.replicas = "two";
  const problems = await schemaProblems(object);
  assert.ok(problems.some((p) => p.startsWith("Deployment/demo /spec/replicas")), problems.join("; "));
});

test("an object without an upstream schema is an error, not a pass", async () => {
  await assert.rejects(
    schemaProblems({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } }),
    /no upstream schema for example.com\/v1 Widget/,
  );
});
