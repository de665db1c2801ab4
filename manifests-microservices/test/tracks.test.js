// Every running copy knows its track (Canary:Track), and X-Canary-Route (Canary:RouteHeader)
// is on where testers look at routes and off in production.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import { scm, trustedCheckouts } from "../testlib/canary-fixtures.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import { overlayPath, services, stableEnvironments } from "../testlib/layout.js";
import { envValue, ofKind, only } from "../testlib/objects.js";

const render = kustomizeCache();
const setting = (deployment, name) => envValue(deployment.spec.template.spec.containers[0], name)?.value;

let prDeployments;
before(async () => {
  const applicationSet = only(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
  prDeployments = [];
  for (const application of generateApplications(applicationSet, scm())) {
    prDeployments.push(only(await buildApplicationSource(application, trustedCheckouts()), "Deployment"));
  }
});

test("every stable Deployment is track stable", async () => {
  for (const environment of stableEnvironments) {
    for (const service of services) {
      for (const deployment of ofKind(await render(overlayPath(service, environment)), "Deployment")) {
        assert.equal(setting(deployment, "Canary__Track"), "stable", `${environment}/${deployment.metadata.name}`);
      }
    }
  }
});

test("every PR canary is track pr-<its number>, set by the ApplicationSet", () => {
  assert.deepEqual(prDeployments.map((d) => `${d.metadata.name} ${setting(d, "Canary__Track")}`).sort(), [
    "api-service-pr-42 pr-42", "api-service-pr-7 pr-7", "store-service-pr-7 pr-7",
  ]);
});

test("a PR overlay rendered without the ApplicationSet has a placeholder track the services refuse", async () => {
  for (const service of services) {
    const track = setting(only(await render(overlayPath(service, "pr-canary")), "Deployment"), "Canary__Track");
    assert.equal(track, "pr-unset", service);
    assert.doesNotMatch(track, /^(stable|pr-[1-9][0-9]{0,8})$/, "not a valid track");
  }
});

test("X-Canary-Route: on in integration-001 and its PR canaries, explicitly off in production, off by default in staging", async () => {
  const routeHeader = async (environment) => setting(only(await render(overlayPath("api-service", environment)), "Deployment"), "Canary__RouteHeader");
  assert.equal(await routeHeader("integration-001"), "true");
  assert.equal(await routeHeader("production"), "false");
  assert.equal(await routeHeader("staging"), undefined);
  for (const deployment of prDeployments.filter((d) => d.metadata.name.startsWith("api-service-"))) {
    assert.equal(setting(deployment, "Canary__RouteHeader"), "true", deployment.metadata.name);
  }
  for (const environment of stableEnvironments) {
    assert.equal(setting(only(await render(overlayPath("store-service", environment)), "Deployment"), "Canary__RouteHeader"), undefined,
      "the store always reports its hop to its callers; only the api's header is a setting");
  }
});
