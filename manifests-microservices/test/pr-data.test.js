// Optional per-PR data: with the isolated-data component, a PR's store gets its own ACK
// DynamoDB Table, created before it and deleted with it; without it, nothing changes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "yaml";
import { ackProblems } from "../testlib/ack-dynamodb.js";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import { pr42, pr7, scm, stateFiles, trustedCheckouts } from "../testlib/canary-fixtures.js";
import { isolatedDataCheckout } from "../testlib/isolated-data.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import { manifestsDir, overlayPath, stableEnvironments } from "../testlib/layout.js";
import { envValue, ofKind, only } from "../testlib/objects.js";
import { schemaProblems } from "../testlib/schema.js";

const render = kustomizeCache();
const tableSource = parse(readFileSync(join(manifestsDir, "kustomize/store-service/components/isolated-data/table.yaml"), "utf8"));
const storeTable = (objects) => envValue(only(objects, "Deployment").spec.template.spec.containers[0], "Store__TableName").value;

let applications;
let isolated;
const shared = new Map(); // Application -> objects, the default
const own = new Map(); // Application -> objects, isolated data on

before(async () => {
  const applicationSet = only(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
  const state = stateFiles(["api-service", "store-service"].flatMap((service) =>
    [pr42, pr7].map((pr) => ({ pr: pr.number, service, commit: pr.headSha }))));
  applications = generateApplications(applicationSet, scm([pr42, pr7], state));
  isolated = isolatedDataCheckout();
  for (const app of applications) {
    shared.set(app.metadata.name, await buildApplicationSource(app, trustedCheckouts()));
    own.set(app.metadata.name, await buildApplicationSource(app, isolated.checkouts));
  }
});
after(() => isolated?.remove());

describe("per-PR data", () => {
  test("off by default: no Table, and every PR store uses integration-001's table", async () => {
    const stableTable = storeTable(await render(overlayPath("store-service", "integration-001")));
    for (const [name, objects] of shared) {
      assert.deepEqual(ofKind(objects, "Table"), [], name);
      if (name.startsWith("store-service-")) assert.equal(storeTable(objects), stableTable, name);
    }
  });

  test("on: each PR store gets a Table of its own, named for the PR, and is pointed at it", async () => {
    for (const number of [7, 42]) {
      const objects = own.get(`store-service-pr-${number}`);
      const table = only(objects, "Table");
      const name = `canary-demo-integration-001-isolated-pr-${number}`;
      assert.equal(table.metadata.name, name);
      assert.equal(table.metadata.namespace, "apps");
      assert.equal(table.spec.tableName, name);
      assert.equal(storeTable(objects), name);
      assert.deepEqual(await schemaProblems(table), []);
    }
  });

  test("a PR table never has the name of a stable environment's table", async () => {
    const stableTables = await Promise.all(stableEnvironments.map(async (e) => storeTable(await render(overlayPath("store-service", e)))));
    const prTables = [7, 42].map((n) => only(own.get(`store-service-pr-${n}`), "Table").spec.tableName);
    assert.equal(new Set(prTables).size, 2);
    for (const table of prTables) assert.ok(!stableTables.includes(table), table);
  });

  test("the rendered Table is the component's table: same keys, types, indexes and projections", () => {
    const { spec } = only(own.get("store-service-pr-7"), "Table");
    assert.deepEqual({ ...spec, tableName: undefined }, { ...tableSource.spec, tableName: undefined });
    assert.equal(spec.billingMode, "PAY_PER_REQUEST");
    assert.equal(spec.deletionProtectionEnabled, false);
  });

  test("the Table comes first (wave -1) and is deleted with its Application; the store and route follow", () => {
    const objects = own.get("store-service-pr-7");
    const wave = (o) => Number(o.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "0");
    const table = only(objects, "Table");
    assert.equal(wave(table), -1);
    assert.equal(table.metadata.annotations["services.k8s.aws/deletion-policy"], "delete");
    assert.equal(wave(only(objects, "Deployment")), 0);
    assert.equal(wave(only(objects, "GRPCRoute")), 1);
    const app = applications.find((a) => a.metadata.name === "store-service-pr-7");
    assert.ok(app.metadata.finalizers.includes("resources-finalizer.argocd.argoproj.io"));
    assert.equal(app.spec.syncPolicy.automated.prune, true);
  });

  test("nothing else changes: the api canaries, and the store's objects besides its table name", () => {
    for (const [name, objects] of shared) {
      const withData = own.get(name);
      if (name.startsWith("api-service-")) {
        assert.deepEqual(withData, objects, name);
        continue;
      }
      const normalized = structuredClone(withData.filter((o) => o.kind !== "Table"));
      const container = only(normalized, "Deployment").spec.template.spec.containers[0];
      envValue(container, "Store__TableName").value = storeTable(objects);
      assert.deepEqual(normalized, objects, name);
    }
  });

  test("the PR AppProject allows the Table", async () => {
    const project = only(await render("manifests-microservices/applications/projects"), "AppProject", "canary-demo-pr");
    assert.ok(project.spec.namespaceResourceWhitelist.some((k) => k.group === "dynamodb.services.k8s.aws" && k.kind === "Table"));
  });

  test("the Table schema check catches a misspelled field and a missing key schema", () => {
    const table = structuredClone(only(own.get("store-service-pr-7"), "Table"));
    table.spec.globalSecondaryIndexes[0].projektion = table.spec.globalSecondaryIndexes[0].projection;
    delete table.spec.keySchema;
    const problems = ackProblems(table);
    assert.ok(problems.some((p) => p.includes("/spec/globalSecondaryIndexes/0: unknown field projektion")), problems.join("; "));
    assert.ok(problems.some((p) => p.includes("keySchema")), problems.join("; "));
  });
});
