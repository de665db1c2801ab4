// The gate on PR code (components/pr-gate): every route that can reach a PR canary, on the
// dev host or a PR's preview host, passes the one Middleware, and no stable route does.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { parse } from "yaml";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import { pr42, pr7, scm, stateFiles, trustedCheckouts } from "../testlib/canary-fixtures.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import { manifestsDir, overlayPath, placeholders, services, stableEnvironments } from "../testlib/layout.js";
import { ofKind, only, routePriority } from "../testlib/objects.js";
import { schemaProblems } from "../testlib/schema.js";

const render = kustomizeCache();
const gateSource = parse(readFileSync(join(manifestsDir, "kustomize/components/pr-gate/middleware.yaml"), "utf8"));

/** The dev cluster with PR 42 (api only), PR 7 (api and store) and PR 3 (store only): every Application's objects. */
let cluster;
/** Application name -> objects, for the generated PR Applications (canaries and preview hosts). */
const prApplications = new Map();
const pr3 = { ...pr42, number: 3, headSha: "3".repeat(40) };

before(async () => {
  const applicationSets = ofKind(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet");
  assert.deepEqual(applicationSets.map((set) => set.metadata.name).sort(), ["canary-demo-pr", "canary-demo-pr-preview"]);
  const state = stateFiles([
    { pr: 42, service: "api-service", commit: pr42.headSha },
    { pr: 7, service: "api-service", commit: pr7.headSha },
    { pr: 7, service: "store-service", commit: pr7.headSha },
    { pr: 3, service: "store-service", commit: pr3.headSha },
  ]);
  for (const applicationSet of applicationSets) {
    for (const app of generateApplications(applicationSet, scm([pr42, pr7, pr3], state))) {
      prApplications.set(app.metadata.name, await buildApplicationSource(app, trustedCheckouts()));
    }
  }
  cluster = [
    ...(await render(overlayPath("api-service", "integration-001"))),
    ...(await render(overlayPath("store-service", "integration-001"))),
    ...[...prApplications.values()].flat(),
  ];
});

/** The Middlewares a route rule names, resolved the way Traefik does: in the route's own namespace. */
function middlewaresOf(rule, route, objects) {
  return (rule.middlewares ?? []).map((reference) => {
    assert.equal(reference.namespace, undefined, `${route.metadata.name}: no cross-namespace reference`);
    return objects.find((o) => o.kind === "Middleware" && o.metadata.name === reference.name && o.metadata.namespace === route.metadata.namespace);
  });
}

/** The gates among them (a missing Middleware counts, as undefined); the gate must come first. */
function gatesOf(rule, route, objects) {
  const middlewares = middlewaresOf(rule, route, objects);
  const gates = middlewares.filter((m) => m === undefined || (m.spec.ipAllowList && !isClosed(m)));
  if (gates.length > 0) assert.equal(middlewares[0], gates[0], `${route.metadata.name}: the gate comes first`);
  return gates;
}

/** Whether a rule can send a request toward PR code: it names X-Canary, or it is a PR's preview host. */
const reachesPrCode = (rule) => /X-Canary/.test(rule.match) || /^Host\(`pr-[1-9][0-9]{0,8}\./.test(rule.match);

/** The allow-list that admits nobody (the closed route for names under the dev host without a preview route). */
const isClosed = (middleware) => middleware?.spec.ipAllowList?.sourceRange.every((range) => ["0.0.0.0/32", "::/128"].includes(range));

describe("the PR gate", () => {
  test("is one Middleware, an IP allow-list written in one file, valid against Traefik v3's schema", async () => {
    assert.equal(gateSource.kind, "Middleware");
    assert.equal(gateSource.apiVersion, "traefik.io/v1alpha1");
    assert.deepEqual(Object.keys(gateSource.spec), ["ipAllowList"]);
    assert.ok(gateSource.spec.ipAllowList.sourceRange.length > 0);
    for (const range of gateSource.spec.ipAllowList.sourceRange) assert.match(range, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
    // Refused callers learn nothing about which PRs exist.
    assert.equal(gateSource.spec.ipAllowList.rejectStatusCode, 404);
    for (const middleware of ofKind(cluster, "Middleware")) {
      assert.deepEqual(await schemaProblems(middleware), []);
      if (middleware.spec.headers) {
        // The preview hosts' other Middleware sets X-Canary and nothing else (preview-host.test.js).
        assert.deepEqual(Object.keys(middleware.spec.headers), ["customRequestHeaders"], middleware.metadata.name);
        continue;
      }
      if (isClosed(middleware)) {
        assert.equal(middleware.metadata.name, "preview-hosts-closed");
        assert.equal(middleware.spec.ipAllowList.rejectStatusCode, gateSource.spec.ipAllowList.rejectStatusCode, "refuses as the gate refuses");
        continue;
      }
      assert.deepEqual(middleware.spec, gateSource.spec, `${middleware.metadata.name} is the component's gate, unchanged`);
    }
  });

  test("every PR route names its own Application's copy of the gate", () => {
    for (const [name, objects] of prApplications) {
      for (const route of ofKind(objects, "IngressRoute")) {
        for (const rule of route.spec.routes) {
          const gates = gatesOf(rule, route, objects);
          assert.equal(gates.length, 1, `${name} ${rule.match}`);
          assert.ok(gates[0], `${name}: the Middleware ${rule.middlewares[0].name} is deployed by the same Application`);
          assert.equal(gates[0].metadata.name, name.replace(/^api-service-/, "pr-gate-").replace(/^preview-/, "preview-pr-gate-"));
        }
      }
    }
    assert.equal([...prApplications.keys()].filter((n) => n.startsWith("api-service-")).length, 2);
    assert.equal([...prApplications.keys()].filter((n) => n.startsWith("preview-")).length, 3);
  });

  test("no stable route of any environment is gated, and only the dev cluster has a gate", async () => {
    for (const environment of stableEnvironments) {
      const objects = await render(overlayPath("api-service", environment));
      const stable = only(objects, "IngressRoute", "api-service-stable");
      assert.ok(stable.spec.routes.every((rule) => rule.middlewares === undefined), environment);
      assert.equal(ofKind(objects, "Middleware").filter((m) => !isClosed(m)).length, environment === "integration-001" ? 1 : 0, environment);
    }
    for (const environment of stableEnvironments) {
      for (const service of services) {
        const objects = await render(overlayPath(service, environment));
        for (const route of ofKind(objects, "IngressRoute")) {
          const gated = route.spec.routes.some((rule) => gatesOf(rule, route, objects).length > 0);
          assert.equal(gated, route.metadata.name === "api-service-canary-gate", `${environment} ${route.metadata.name}`);
        }
      }
    }
  });

  test("every route that can send a request toward PR code is gated: everything matching X-Canary, every preview host", () => {
    const routes = ofKind(cluster, "IngressRoute");
    assert.equal(routes.length, 8);
    for (const route of routes) {
      for (const rule of route.spec.routes) {
        if (middlewaresOf(rule, route, cluster).some(isClosed)) continue; // it forwards nothing (the next test)
        const gated = reachesPrCode(rule);
        const gates = gatesOf(rule, route, cluster);
        assert.equal(gated, gates.length === 1, `${route.metadata.name}: ${rule.match}`);
        assert.ok(gates.every(Boolean), `${route.metadata.name}: its gate exists in the cluster`);
        // The ungated stable route must not serve a request a gated route of its host matches: it is the lowest.
        if (!gated) {
          for (const other of routes.flatMap((r) => r.spec.routes).filter((o) => /X-Canary/.test(o.match))) {
            assert.ok(routePriority(other) > routePriority(rule), `${other.match} above ${rule.match}`);
          }
          assert.equal(rule.match, `Host(\`${placeholders.devHost}\`)`, "the only ungated route is the dev host's stable one");
        }
      }
    }
  });

  test("the gate route for PRs without an api canary: stable api, above stable, below PR routes, only for PR numbers", async () => {
    const route = only(await render(overlayPath("api-service", "integration-001")), "IngressRoute", "api-service-canary-gate");
    const [rule] = route.spec.routes;
    assert.deepEqual(rule.services, [{ kind: "Service", name: "api-service", port: 8080 }]);
    assert.deepEqual(rule.middlewares, [{ name: "pr-gate" }]);
    const stable = only(await render(overlayPath("api-service", "integration-001")), "IngressRoute", "api-service-stable");
    const prRoute = only(prApplications.get("api-service-pr-7"), "IngressRoute");
    assert.ok(routePriority(stable.spec.routes[0]) < routePriority(rule));
    assert.ok(routePriority(rule) < routePriority(prRoute.spec.routes[0]));
    const match = /^Host\(`([^`]+)`\) && HeaderRegexp\(`X-Canary`, `([^`]+)`\)$/.exec(rule.match);
    assert.ok(match, rule.match);
    assert.equal(match[1], placeholders.devHost);
    // The canary contract's value rule; the pattern is plain RE2 and means the same in JavaScript.
    const pattern = new RegExp(match[2]);
    for (const value of ["1", "7", "42", "999999999"]) assert.ok(pattern.test(value), value);
    for (const value of ["0", "042", "1234567890", "-1", "+4", "4a", "", " 4"]) assert.ok(!pattern.test(value), JSON.stringify(value));
    assert.equal(route.metadata.annotations?.["argocd.argoproj.io/sync-wave"], undefined, "stable: no waves");
  });
});

test("every other name under the dev host is refused as the gate refuses: a closed route below every preview route", async () => {
  const objects = await render(overlayPath("api-service", "integration-001"));
  const route = only(objects, "IngressRoute", "api-service-preview-hosts");
  const [rule] = route.spec.routes;
  const [closed] = middlewaresOf(rule, route, objects);
  assert.ok(isClosed(closed), "admits no address: nothing is ever forwarded");
  assert.equal(closed.spec.ipAllowList.rejectStatusCode, gateSource.spec.ipAllowList.rejectStatusCode);
  const [, pattern] = /^HostRegexp\(`([^`]+)`\)$/.exec(rule.match);
  const hosts = new RegExp(pattern);
  for (const host of [`pr-42.${placeholders.devHost}`, `pr-99.${placeholders.devHost}`, `foo.${placeholders.devHost}`]) assert.match(host, hosts);
  for (const host of [placeholders.devHost, `pr-42.${placeholders.devHost}.evil.example`, `x${placeholders.devHost}`]) assert.doesNotMatch(host, hosts);
  for (const [name, prObjects] of prApplications) {
    for (const preview of ofKind(prObjects, "IngressRoute").filter((r) => r.metadata.name.startsWith("preview-"))) {
      assert.ok(routePriority(preview.spec.routes[0]) > routePriority(rule), `${name} above the closed route`);
    }
    assert.ok(!prObjects.some((o) => o.metadata.name.startsWith("api-service-preview-hosts") || o.metadata.name.startsWith("preview-hosts-closed")),
      `${name}: the closed route belongs to the stable Application alone`);
  }
});
