// Live status on the PR: the Argo CD Notifications configuration that turns each canary
// Application's state into a GitHub deployment of the PR commit its image was built from.
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { parse } from "yaml";
import { generateApplications } from "../testlib/argocd.js";
import { pr42, scm } from "../testlib/canary-fixtures.js";
import { renderGoTemplate } from "../testlib/go-template.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import { placeholders } from "../testlib/layout.js";
import { only } from "../testlib/objects.js";

const render = kustomizeCache();
let data;
let application;

before(async () => {
  const configMap = only(await render("manifests-microservices/applications/notifications"), "ConfigMap", "argocd-notifications-cm");
  assert.equal(configMap.metadata.namespace, "argocd");
  data = configMap.data;
  const applicationSet = only(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
  application = generateApplications(applicationSet, scm([pr42])).find((a) => a.metadata.name === "api-service-pr-42");
});

const triggers = () => Object.fromEntries(Object.entries(data)
  .filter(([key]) => key.startsWith("trigger."))
  .map(([key, value]) => [key.slice("trigger.".length), parse(value)]));
const template = (name) => parse(data[`template.${name}`]);

/** A notification template rendered for an Application (Go text/template, as the notifications engine does). */
function renderTemplate(name, app) {
  const walk = (value) => (typeof value === "string" ? renderGoTemplate(value, { app, context: parse(data.context) }, ["missingkey=error"])
    : Array.isArray(value) ? value.map(walk)
      : value && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)])) : value);
  return walk(template(name));
}

test("every subscription of a canary Application names a trigger of the GitHub service that exists", () => {
  const subscriptions = Object.keys(application.metadata.annotations).filter((k) => k.startsWith("notifications.argoproj.io/subscribe."));
  assert.deepEqual(subscriptions.map((k) => k.split(".").slice(-2).join(".")).sort(), [
    "on-canary-deploying.github", "on-canary-failed.github", "on-canary-live.github", "on-canary-removed.github",
  ]);
  for (const key of subscriptions) {
    const trigger = key.split(".").at(-2);
    assert.ok(triggers()[trigger], `trigger ${trigger} is defined`);
    assert.equal(application.metadata.annotations[key], "", "the GitHub service takes no recipient");
  }
  assert.match(data["service.github"], /privateKey: \$github-privateKey/, "the key comes from argocd-notifications-secret");
});

test("each trigger sends one template, and the four report deployment states in_progress, success, failure, inactive", () => {
  const states = {};
  for (const [name, conditions] of Object.entries(triggers())) {
    assert.equal(conditions.length, 1, name);
    const [{ send }] = conditions;
    assert.equal(send.length, 1, name);
    states[name] = template(send[0]).github.deployment.state;
  }
  assert.deepEqual(states, {
    "on-canary-deploying": "in_progress", "on-canary-live": "success", "on-canary-failed": "failure", "on-canary-removed": "inactive",
  });
});

test("live means the last completed sync is of the current image, synced and Healthy; once per image, not per revision", () => {
  const [live] = triggers()["on-canary-live"];
  for (const clause of ["phase in ['Succeeded']", "app.status.health.status == 'Healthy'", "app.status.sync.status == 'Synced'",
    "syncResult?.source?.kustomize?.images?.[0] == app.spec.source.kustomize.images[0]"]) {
    assert.ok(live.when.includes(clause), clause);
  }
  for (const [name, [condition]] of Object.entries(triggers())) {
    // The revision is the default branch for every canary: keyed on it, a second image would never be reported.
    assert.doesNotMatch(condition.oncePer, /revision/, name);
  }
  assert.equal(triggers()["on-canary-live"][0].oncePer, "app.spec.source.kustomize.images[0]");
});

test("the deployment is reported on the PR commit the image was built from, in canary/<service>, with the PR's preview URL", () => {
  const failing = { ...application, status: { operationState: { phase: "Failed" }, health: { status: "Degraded" } } };
  assert.equal(renderTemplate("canary-failed", failing).message, "Not live: sync Failed, health Degraded");
  for (const name of ["canary-deploying", "canary-live", "canary-failed", "canary-removed"]) {
    const { github } = renderTemplate(name, failing);
    assert.equal(github.revisionPath, pr42.headSha, name);
    assert.equal(github.repoURLPath, placeholders.repoURL, name);
    assert.equal(github.deployment.environment, "canary/api-service", name);
    assert.equal(github.deployment.environmentURL, `https://pr-42.${placeholders.devHost}`, name);
    assert.equal(github.deployment.logURL, "https://argocd.dev.example.com/applications/argocd/api-service-pr-42", name);
    // autoMerge would merge the default branch into the PR; required contexts would block on CI.
    assert.equal(github.deployment.autoMerge, false, name);
    assert.deepEqual(github.deployment.requiredContexts, [], name);
    assert.equal(github.deployment.transientEnvironment, true, name);
  }
});

test("the live message is the curl command for this PR's preview host and fits GitHub's 140 characters", () => {
  const { message } = renderTemplate("canary-live", application);
  assert.equal(message, `Live: curl https://pr-42.${placeholders.devHost}/health`);
  const longest = { ...application, metadata: { ...application.metadata, annotations: {
    ...application.metadata.annotations, "canary-demo/url": `https://pr-999999999.${placeholders.devHost}`,
  } } };
  assert.ok(renderTemplate("canary-live", longest).message.length <= 140);
});

test("live also posts the commit status canary-live/<service> on the same commit: the canary check's trigger", () => {
  const { github } = renderTemplate("canary-live", application);
  assert.deepEqual(github.status, { state: "success", label: "canary-live/api-service", targetURL: `https://pr-42.${placeholders.devHost}` });
  assert.equal(github.revisionPath, pr42.headSha, "the status goes on the commit the deployment reports");
  for (const name of ["canary-deploying", "canary-failed", "canary-removed"]) {
    assert.equal(template(name).github.status, undefined, `${name} posts no status: only a live canary is checked`);
  }
});
