// The Grafana dashboard ConfigMap: shipped once per cluster with the stable api-service,
// never with a PR canary, and a dashboard that compares the chosen PR with stable.
// (tests/Observability.Tests checks its queries against what the services really export.)
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { kustomizeCache } from "../testlib/kustomize.js";
import { manifestsDir, overlayPath, services, stableEnvironments } from "../testlib/layout.js";
import { only } from "../testlib/objects.js";

const render = kustomizeCache();
const dashboardFile = join(manifestsDir, "kustomize/components/grafana-dashboard/pr-vs-stable.json");
const source = readFileSync(dashboardFile, "utf8");
const dashboard = JSON.parse(source);

const dashboards = (objects) => objects.filter((o) => o.kind === "ConfigMap" && o.metadata.labels?.grafana_dashboard === "1");
const graphs = dashboard.panels.filter((p) => p.type !== "row");
const expressions = (panel) => panel.targets.map((t) => t.expr);

for (const environment of stableEnvironments) {
  test(`${environment}: the api-service ships the dashboard as one sidecar ConfigMap, the store-service none`, async () => {
    const shipped = dashboards(await render(overlayPath("api-service", environment)));
    assert.equal(shipped.length, 1);
    const [configMap] = shipped;
    assert.equal(configMap.metadata.name, "canary-demo-dashboard");
    assert.equal(configMap.metadata.namespace, "apps");
    assert.deepEqual(Object.keys(configMap.data), ["pr-vs-stable.json"]);
    assert.equal(configMap.data["pr-vs-stable.json"], source);
    assert.deepEqual(dashboards(await render(overlayPath("store-service", environment))), []);
  });
}

test("no PR canary ships a dashboard, and the PR AppProject would refuse one", async () => {
  for (const service of services) {
    assert.deepEqual(dashboards(await render(overlayPath(service, "pr-canary"))), [], service);
  }
  const project = only(await render("manifests-microservices/applications/projects"), "AppProject", "canary-demo-pr");
  assert.ok(!project.spec.namespaceResourceWhitelist.some((k) => k.kind === "ConfigMap"));
});

test("the dashboard is identified and chooses its Prometheus data source", () => {
  assert.equal(dashboard.uid, "canary-demo-pr-vs-stable");
  assert.ok(dashboard.title);
  const datasource = dashboard.templating.list.find((v) => v.name === "datasource");
  assert.deepEqual([datasource.type, datasource.query], ["datasource", "prometheus"]);
  for (const panel of graphs) {
    assert.equal(panel.datasource.uid, "${datasource}", panel.title);
    for (const target of panel.targets) assert.equal(target.datasource.uid, "${datasource}", panel.title);
  }
  const ids = dashboard.panels.map((p) => p.id);
  assert.equal(new Set(ids).size, ids.length, "panel ids are unique");
  for (const panel of dashboard.panels) assert.ok(panel.gridPos.x + panel.gridPos.w <= 24, panel.title);
});

test("the pr variable lists the PR numbers of the canary label, newest first", () => {
  const pr = dashboard.templating.list.find((v) => v.name === "pr");
  assert.equal(pr.type, "query");
  assert.match(pr.query, /^label_values\(\w+\{canary!="stable"\}, canary\)$/);
  assert.equal(pr.multi, false);
  assert.equal(pr.includeAll, false);
  assert.equal(pr.refresh, 2, "refreshed when the time range changes");
});

const fallbackPanel = graphs.find((p) => expressions(p).some((e) => e.includes("canary_stable_fallbacks_total")));

test("every query compares the chosen PR with stable, per canary", () => {
  assert.ok(graphs.length >= 9);
  for (const panel of graphs.filter((p) => p !== fallbackPanel)) {
    for (const expr of expressions(panel)) {
      assert.ok(expr.includes('canary=~"$pr|stable"'), `${panel.title}: ${expr}`);
      for (const grouping of expr.matchAll(/by \(([^)]*)\)/g)) {
        assert.ok(grouping[1].split(",").map((l) => l.trim()).includes("canary"), `${panel.title}: ${expr}`);
      }
    }
  }
});

test("both services have request rate, error ratio and p50/p95/p99 latency", () => {
  for (const route of ['http_route=~"/api/v1/.*"', 'http_route=~"/store.v1.StoreService/.*"']) {
    const panels = graphs.filter((p) => expressions(p).every((e) => e.includes(route)));
    const units = panels.map((p) => p.fieldConfig.defaults.unit).sort();
    assert.deepEqual(units, ["percentunit", "reqps", "s"], route);
    const latency = panels.find((p) => p.fieldConfig.defaults.unit === "s");
    const quantiles = expressions(latency).map((e) => /^histogram_quantile\(([0-9.]+), /.exec(e)?.[1]);
    assert.deepEqual(quantiles, ["0.5", "0.95", "0.99"], route);
    const errors = panels.find((p) => p.fieldConfig.defaults.unit === "percentunit");
    assert.match(expressions(errors)[0], /(http_response_status_code|rpc_grpc_status_code)=~/);
  }
});

test("a panel shows the chosen PR's requests that stable served, per service", () => {
  assert.ok(fallbackPanel, "no panel queries canary_stable_fallbacks_total");
  assert.deepEqual(expressions(fallbackPanel), [
    'sum by (hop, canary) (rate(canary_stable_fallbacks_total{canary="$pr"}[$__rate_interval]))',
  ]);
  assert.equal(fallbackPanel.fieldConfig.defaults.unit, "reqps");
});
