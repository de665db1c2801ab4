// What the cluster smoke workflow (.github/workflows/cluster-smoke.yml) applies, checked
// here because that workflow cannot run on these machines: its PR canary Applications
// are the ApplicationSet's for records of the digests it pushed, changed only in
// repository, revision and the store's DynamoDB endpoint, and they build to valid objects.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { test } from "node:test";
import { parseAllDocuments } from "yaml";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import { CANARY_LABEL, scm, stateFiles } from "../testlib/canary-fixtures.js";
import { kustomize } from "../testlib/kustomize.js";
import { manifestsDir, placeholders, repoRoot } from "../testlib/layout.js";
import { envValue, only } from "../testlib/objects.js";
import { schemaProblems } from "../testlib/schema.js";

const run = promisify(execFile);
const revision = "0123456789abcdef0123456789abcdef01234567";
const repoURL = "https://github.com/acme/shop.git";
const digests = { "api-service": `sha256:${"a".repeat(64)}`, "store-service": `sha256:${"b".repeat(64)}` };
const digestArgs = Object.entries(digests).flatMap(([service, digest]) => ["--digest", `${service}=${digest}`]);

async function smokeOutput(...prs) {
  const args = ["--repo-url", repoURL, "--revision", revision, ...digestArgs, ...prs.flatMap((p) => ["--pr", p])];
  const { stdout } = await run(process.execPath, [join(manifestsDir, "smoke/pr-applications.js"), ...args]);
  return parseAllDocuments(stdout).map((d) => d.toJS());
}

test("the smoke's PR Applications are the ApplicationSet's but for repository, revision and DynamoDB endpoint", async () => {
  const [project, ...applications] = await smokeOutput("1:api-service,store-service", "2:api-service");
  assert.equal(project.kind, "AppProject");
  assert.deepEqual(project.spec.sourceRepos, [repoURL]);
  assert.deepEqual(applications.map((a) => a.metadata.name).sort(), ["api-service-pr-1", "api-service-pr-2", "store-service-pr-1"]);

  const applicationSet = only(await kustomize("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
  const pullRequests = [1, 2].map((number) => ({ number, headSha: revision, labels: [CANARY_LABEL] }));
  const state = stateFiles([
    { pr: 1, service: "api-service", commit: revision, digest: digests["api-service"] },
    { pr: 1, service: "store-service", commit: revision, digest: digests["store-service"] },
    { pr: 2, service: "api-service", commit: revision, digest: digests["api-service"] },
  ]);
  for (const expected of generateApplications(applicationSet, scm(pullRequests, state))) {
    const actual = structuredClone(applications.find((a) => a.metadata.name === expected.metadata.name));
    assert.equal(actual.spec.source.repoURL, repoURL);
    assert.equal(actual.spec.source.targetRevision, revision);
    if (expected.metadata.name.startsWith("store-service")) assert.ok(actual.spec.source.kustomize.patches.pop().patch.includes("Store__ServiceUrl"));
    actual.spec.source.repoURL = expected.spec.source.repoURL;
    actual.spec.source.targetRevision = expected.spec.source.targetRevision;
    assert.deepEqual(actual, expected, expected.metadata.name);
  }
});

test("they build to valid objects, running the pushed digests, the store on DynamoDB Local", async () => {
  const [, ...applications] = await smokeOutput("1:api-service,store-service");
  const checkouts = { [repoURL]: { [revision]: repoRoot } };
  for (const application of applications) {
    const objects = await buildApplicationSource(application, checkouts);
    for (const object of objects) assert.deepEqual(await schemaProblems(object), []);
    const [container] = only(objects, "Deployment").spec.template.spec.containers;
    const service = application.metadata.labels["canary-demo/service"];
    assert.equal(container.image, `${placeholders.registry}/${service}@${digests[service]}`);
    if (application.metadata.name === "store-service-pr-1") {
      assert.equal(envValue(container, "Store__ServiceUrl").value, "http://dynamodb-local.smoke.svc.cluster.local:8000");
      assert.equal(envValue(container, "Store__CreateTableIfMissing").value, "true");
    }
  }
});

test("the smoke's stable services are integration-001 with the same DynamoDB patch", async () => {
  const stable = await kustomize("manifests-microservices/smoke/stable");
  const integration = [
    ...(await kustomize("manifests-microservices/kustomize/api-service/overlays/integration-001")),
    ...(await kustomize("manifests-microservices/kustomize/store-service/overlays/integration-001")),
  ];
  assert.deepEqual(stable.map((o) => `${o.kind}/${o.metadata.name}`).sort(), integration.map((o) => `${o.kind}/${o.metadata.name}`).sort());
  const [store] = only(stable, "Deployment", "store-service").spec.template.spec.containers;
  assert.equal(envValue(store, "Store__ServiceUrl").value, "http://dynamodb-local.smoke.svc.cluster.local:8000");
  assert.deepEqual(only(stable, "Deployment", "api-service"), only(integration, "Deployment", "api-service"));
});

test("the generator rejects bad arguments", async () => {
  for (const args of [[], ["--repo-url", repoURL, "--revision", "abc", ...digestArgs, "--pr", "1:api-service"],
    ["--repo-url", repoURL, "--revision", revision, ...digestArgs, "--pr", "x"], ["--repo-url", repoURL, "--revision", revision, "--pr", "1:api-service"]]) {
    await assert.rejects(run(process.execPath, [join(manifestsDir, "smoke/pr-applications.js"), ...args]), /pr-applications\.js:/);
  }
});
