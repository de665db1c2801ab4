// PR preview hosts: the ApplicationSet canary-demo-pr-preview rendered the way Argo CD would
// for sample pull requests and canary state, next to the PR canaries and the dev cluster's
// stable services. Each PR with a canary gets exactly one route on pr-<n>.<dev host>, which
// sets X-Canary: <n> (replacing the client's value), passes the PR gate and reaches the PR's
// api, or the stable api when the PR has none; nothing else gets one, and no object is
// rendered by two Applications.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { parse } from "yaml";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import {
  pr11, pr13, pr15, pr42, pr5, pr7, pr9, scm, stateFiles, stateRevision, trustedCheckouts, trustedRevision,
} from "../testlib/canary-fixtures.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import { manifestsDir, overlayPath, placeholders, services } from "../testlib/layout.js";
import { ofKind, only } from "../testlib/objects.js";
import { schemaProblems } from "../testlib/schema.js";

const render = kustomizeCache();
const gateSpec = parse(readFileSync(join(manifestsDir, "kustomize/components/pr-gate/middleware.yaml"), "utf8")).spec;
const previewHost = (pr) => `pr-${pr}.${placeholders.devHost}`;

/** PR 3 changed only the store. */
const pr3 = { ...pr42, number: 3, headSha: "3".repeat(40) };
const pullRequests = [pr42, pr7, pr3, pr9, pr5, pr11, pr13, pr15];
/** PR 42 both services, PR 7 the api, PR 3 the store; the closed, unlabelled and fork PRs' records are left over. */
const state = stateFiles([
  { pr: 42, service: "api-service", commit: pr42.headSha },
  { pr: 42, service: "store-service", commit: pr42.headSha },
  { pr: 7, service: "api-service", commit: pr7.headSha },
  { pr: 3, service: "store-service", commit: pr3.headSha },
  { pr: 5, service: "api-service", commit: pr5.headSha },
  { pr: 11, service: "api-service", commit: pr11.headSha },
  { pr: 15, service: "store-service", commit: pr15.headSha },
]);
const withCanary = [42, 7, 3];

let previewSet;
let canarySet;
/** Application name -> { application, objects }, for every Application of the dev cluster. */
const deployed = new Map();
/** Every object of the dev cluster, with the Application that renders it. */
let cluster;

const objectsOf = (name) => deployed.get(name).objects;
const ruleHost = (rule) => /^Host\(`([^`]+)`\)$/.exec(rule.match)?.[1];
/** Every IngressRoute rule of the cluster: { owner, route, rule }. */
const rules = () => cluster.filter(({ object }) => object.kind === "IngressRoute")
  .flatMap(({ owner, object }) => object.spec.routes.map((rule) => ({ owner, route: object, rule })));

async function deploy(application) {
  deployed.set(application.metadata.name, { application, objects: await buildApplicationSource(application, trustedCheckouts()) });
}

before(async () => {
  const sets = await render("manifests-microservices/applications/pr-canaries");
  previewSet = only(sets, "ApplicationSet", "canary-demo-pr-preview");
  canarySet = only(sets, "ApplicationSet", "canary-demo-pr");
  for (const application of ofKind(await render("manifests-microservices/applications/integration-001"), "Application")) {
    deployed.set(application.metadata.name, { application, objects: await render(application.spec.source.path) });
  }
  for (const set of [canarySet, previewSet]) {
    for (const application of generateApplications(set, scm(pullRequests, state))) await deploy(application);
  }
  cluster = [...deployed].flatMap(([owner, { objects }]) => objects.map((object) => ({ owner, object })));
});

describe("which PRs have a preview host", () => {
  test("each PR with any canary has one preview Application, preview-pr-<n>, the store-only PR too", () => {
    const previews = [...deployed.keys()].filter((name) => name.startsWith("preview-"));
    assert.deepEqual(previews.sort(), withCanary.map((pr) => `preview-pr-${pr}`).sort());
  });

  test("a PR without a canary has none: image still building, closed, unlabelled, draft, fork; its host is refused like any other name", () => {
    const closed = rules().filter(({ rule }) => rule.match.startsWith("HostRegexp("));
    assert.deepEqual(closed.map(({ owner, route }) => `${owner} ${route.metadata.name}`), ["api-service-integration-001 api-service-preview-hosts"]);
    const closedHosts = new RegExp(/^HostRegexp\(`([^`]+)`\)$/.exec(closed[0].rule.match)[1]);
    for (const pr of [pr9, pr5, pr11, pr13, pr15]) {
      assert.ok(!deployed.has(`preview-pr-${pr.number}`), `#${pr.number}`);
      assert.ok(!rules().some(({ rule }) => ruleHost(rule) === previewHost(pr.number)), `no route for #${pr.number}'s host`);
      assert.match(previewHost(pr.number), closedHosts, "only the closed route, which forwards nothing, matches it (pr-gate.test.js)");
    }
  });

  test("the host goes with the PR's last canary: a PR whose records are withdrawn has none", () => {
    const withdrawn = stateFiles([{ pr: 7, service: "api-service", commit: pr7.headSha }]);
    assert.deepEqual(generateApplications(previewSet, scm([pr42, pr7], withdrawn)).map((a) => a.metadata.name), ["preview-pr-7"]);
  });
});

describe("the preview route of a PR", () => {
  test("exactly one rule in the whole cluster matches pr-<n>.<dev host>, rendered by the PR's preview Application", () => {
    for (const pr of withCanary) {
      const found = rules().filter(({ rule }) => rule.match.includes(previewHost(pr)));
      assert.equal(found.length, 1, `#${pr}`);
      const [{ owner, route, rule }] = found;
      assert.equal(owner, `preview-pr-${pr}`);
      assert.equal(rule.match, `Host(\`${previewHost(pr)}\`)`, "the host alone: any X-Canary the client sends is no condition");
      assert.equal(route.metadata.name, `preview-api-service-pr-${pr}`);
      assert.equal(route.spec.routes.length, 1);
    }
  });

  test("sets X-Canary: <n> on every request, replacing any value the client sent", () => {
    for (const pr of withCanary) {
      const { route, rule } = rules().find(({ rule: r }) => ruleHost(r) === previewHost(pr));
      const middlewares = rule.middlewares.map(({ name }) => only(objectsOf(`preview-pr-${pr}`), "Middleware", name));
      const headers = middlewares.filter((m) => m.spec.headers);
      assert.equal(headers.length, 1, `#${pr}`);
      // customRequestHeaders with a non-empty value: Traefik's Header.Set, which drops every value
      // the client sent (traefik v3.7.9 pkg/middlewares/headers/header.go, modifyCustomRequestHeaders).
      assert.deepEqual(headers[0].spec, { headers: { customRequestHeaders: { "X-Canary": String(pr) } } });
      assert.match(String(pr), /^[1-9][0-9]{0,8}$/, "a value of the canary contract");
      assert.equal(headers[0].metadata.namespace, route.metadata.namespace);
    }
  });

  test("passes the PR gate first, its own Application's copy of the one gate", () => {
    for (const pr of withCanary) {
      const { rule } = rules().find(({ rule: r }) => ruleHost(r) === previewHost(pr));
      const [first, second] = rule.middlewares.map(({ name }) => only(objectsOf(`preview-pr-${pr}`), "Middleware", name));
      assert.deepEqual(first.spec, gateSpec, "the gate, unchanged, before the header is set");
      assert.equal(first.metadata.name, `preview-pr-gate-pr-${pr}`);
      assert.ok(second.spec.headers);
      for (const reference of rule.middlewares) assert.equal(reference.namespace, undefined, "no cross-namespace reference");
    }
  });

  test("reaches the PR's api when it has an api canary and the stable api otherwise; that Service exists", () => {
    const expected = { 42: "api-service-pr-42", 7: "api-service-pr-7", 3: "api-service" };
    for (const pr of withCanary) {
      const { rule } = rules().find(({ rule: r }) => ruleHost(r) === previewHost(pr));
      assert.deepEqual(rule.services, [{ kind: "Service", name: expected[pr], port: 8080 }], `#${pr}`);
      const service = cluster.find(({ object }) => object.kind === "Service" && object.metadata.name === expected[pr]);
      assert.ok(service, `Service ${expected[pr]} is deployed`);
      assert.ok(service.object.spec.ports.some((port) => port.port === 8080));
      assert.equal(service.owner, pr === 3 ? "api-service-integration-001" : `api-service-pr-${pr}`);
    }
  });

  test("serves on the stable route's entry point with its TLS, and comes in sync wave 1 after its Middlewares", async () => {
    const stable = only(await render(overlayPath("api-service", "integration-001")), "IngressRoute", "api-service-stable");
    for (const pr of withCanary) {
      for (const object of objectsOf(`preview-pr-${pr}`)) {
        const wave = object.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "0";
        assert.equal(wave, object.kind === "IngressRoute" ? "1" : "0", `${object.kind}/${object.metadata.name}`);
      }
      const route = only(objectsOf(`preview-pr-${pr}`), "IngressRoute");
      assert.deepEqual(route.spec.entryPoints, stable.spec.entryPoints);
      assert.deepEqual(route.spec.tls, stable.spec.tls);
    }
  });

  test("gaining or losing the api canary changes the route's Service in place: the same Application and objects", async () => {
    const storeOnly = stateFiles([{ pr: 3, service: "store-service", commit: pr3.headSha }]);
    const both = stateFiles(services.map((service) => ({ pr: 3, service, commit: pr3.headSha })));
    const [before3] = generateApplications(previewSet, scm([pr3], storeOnly));
    const [after3] = generateApplications(previewSet, scm([pr3], both));
    assert.equal(before3.metadata.name, after3.metadata.name);
    const [objectsBefore, objectsAfter] = [await buildApplicationSource(before3, trustedCheckouts()), await buildApplicationSource(after3, trustedCheckouts())];
    const ids = (objects) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
    assert.deepEqual(ids(objectsAfter), ids(objectsBefore));
    const service = (objects) => only(objects, "IngressRoute").spec.routes[0].services[0].name;
    assert.deepEqual([service(objectsBefore), service(objectsAfter)], ["api-service", "api-service-pr-3"]);
  });
});

describe("hosts and objects", () => {
  test("two PRs never share a host, and no preview host is the dev host", () => {
    const prsByHost = new Map();
    for (const { owner, rule } of rules()) {
      // The closed route for every other name under the dev host matches a HostRegexp and serves nobody.
      if (rule.match.startsWith("HostRegexp(")) continue;
      const host = /Host\(`([^`]+)`\)/.exec(rule.match)[1];
      const pr = deployed.get(owner).application.metadata.labels?.["canary-demo/pr"] ?? "stable";
      if (!prsByHost.has(host)) prsByHost.set(host, new Set());
      prsByHost.get(host).add(pr);
    }
    for (const [host, prs] of prsByHost) {
      if (host === placeholders.devHost) continue;
      assert.equal(prs.size, 1, `${host} is served for ${[...prs].join(", ")}`);
      const [pr] = prs;
      assert.equal(host, previewHost(pr), "a PR's host names that PR");
    }
    assert.deepEqual([...prsByHost.keys()].sort(), [placeholders.devHost, ...withCanary.map(previewHost)].sort());
  });

  test("no object is rendered by two Applications (FailOnSharedResource never trips)", () => {
    const owners = new Map();
    for (const { owner, object } of cluster) {
      const id = `${object.apiVersion}/${object.kind}/${object.metadata.namespace}/${object.metadata.name}`;
      assert.ok(!owners.has(id), `${id}: ${owners.get(id)} and ${owner}`);
      owners.set(id, owner);
    }
    for (const pr of withCanary) {
      const names = objectsOf(`preview-pr-${pr}`).map((o) => `${o.kind}/${o.metadata.name}`).sort();
      assert.deepEqual(names, [`IngressRoute/preview-api-service-pr-${pr}`, `Middleware/preview-pr-gate-pr-${pr}`, `Middleware/preview-x-canary-pr-${pr}`]);
    }
  });
});

describe("the preview Applications and their ApplicationSet", () => {
  test("are valid, in the PR project, pruned, self-healed, finalized, fail on shared objects, and render the trusted revision", async () => {
    const project = only(await render("manifests-microservices/applications/projects"), "AppProject", "canary-demo-pr");
    const allowed = new Set(project.spec.namespaceResourceWhitelist.map((k) => `${k.group}/${k.kind}`));
    for (const pr of withCanary) {
      const { application, objects } = deployed.get(`preview-pr-${pr}`);
      assert.deepEqual(await schemaProblems(application), []);
      assert.equal(application.metadata.namespace, "argocd");
      assert.equal(application.spec.project, "canary-demo-pr");
      assert.deepEqual(application.spec.destination, { name: "dev", namespace: "apps" });
      assert.deepEqual(application.spec.syncPolicy.automated, { prune: true, selfHeal: true });
      assert.ok(application.spec.syncPolicy.syncOptions.includes("FailOnSharedResource=true"));
      assert.deepEqual(application.metadata.finalizers, ["resources-finalizer.argocd.argoproj.io"]);
      assert.equal(application.spec.source.repoURL, placeholders.repoURL);
      assert.equal(application.spec.source.targetRevision, trustedRevision);
      assert.equal(application.metadata.labels["canary-demo/pr"], String(pr));
      for (const object of objects) {
        assert.deepEqual(await schemaProblems(object), []);
        assert.equal(object.metadata.namespace, "apps");
        assert.ok(allowed.has(`${object.apiVersion.split("/")[0]}/${object.kind}`), `${object.kind} allowed in the PR project`);
      }
    }
    assert.equal(previewSet.spec.template.spec.source.targetRevision, trustedRevision, "not templated at all");
  });

  test("lists the same pull requests as the canaries and reads only the PR's own preview record on the state branch", () => {
    assert.equal(previewSet.metadata.namespace, "argocd");
    assert.equal(previewSet.spec.goTemplate, true);
    assert.deepEqual(previewSet.spec.goTemplateOptions, ["missingkey=error"]);
    const [pullRequest, git] = previewSet.spec.generators[0].matrix.generators;
    assert.deepEqual(pullRequest, canarySet.spec.generators[0].matrix.generators[0]);
    assert.deepEqual(git.git.files, [{ path: "pr-{{.number}}/preview.json" }]);
    assert.equal(git.git.repoURL, placeholders.repoURL);
    assert.equal(git.git.revision, stateRevision);
    assert.ok(Number.isInteger(git.git.requeueAfterSeconds));
  });

  test("the template reads only the PR number; templatePatch compares the record's one value with exactly two", () => {
    const actions = [...JSON.stringify(previewSet.spec.template).matchAll(/\{\{(.*?)\}\}/g)].map((m) => m[1]);
    const used = new Set(actions.flatMap((action) => [...action.matchAll(/(?:^|[\s(])\.([a-z_][\w.]*)/g)].map((m) => m[1])));
    assert.deepEqual([...used], ["number"]);
    const patch = previewSet.spec.templatePatch;
    assert.match(patch, /\$api := toString \(index \. "api"\)/, "index: a missing key is no error");
    assert.match(patch, /\(or \(eq \$api "stable"\) \(eq \$api \$prTrack\)\)/);
    assert.match(patch, /\(eq \.path\.path \$prTrack\) \(eq \.path\.filename "preview\.json"\)/, "the PR's own record, no file under a folder of that name");
    assert.doesNotMatch(patch, /\{\{-? *\$api *-?\}\}/, "the value itself is never written out");
  });

  test("the folder rendered alone names no PR: host pr-unset, X-Canary unset (no canary), the stable api", async () => {
    const objects = await render("manifests-microservices/kustomize/pr-preview");
    const [rule] = only(objects, "IngressRoute").spec.routes;
    assert.equal(rule.match, `Host(\`pr-unset.${placeholders.devHost}\`)`);
    assert.equal(rule.services[0].name, "api-service");
    assert.deepEqual(only(objects, "Middleware", "preview-x-canary").spec.headers.customRequestHeaders, { "X-Canary": "unset" });
    assert.doesNotMatch("unset", /^[1-9][0-9]{0,8}$/);
  });
});
