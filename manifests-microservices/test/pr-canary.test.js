// The PR canary ApplicationSet rendered the way Argo CD would for sample pull
// requests, and what each generated Application deploys.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import { overlayPath, placeholders, services, stableEnvironments, stableStoreAddress } from "../testlib/layout.js";
import { envValue, ofKind, only, podLabels, routePriority, selects } from "../testlib/objects.js";
import { schemaProblems } from "../testlib/schema.js";

const render = kustomizeCache();
const pr42 = {
  number: 42, headSha: "3f2a9c1d8e7b6a5f4c3d2e1f0a9b8c7d6e5f4a3b", branch: "feature/faster-search",
  targetBranch: "main", title: "Faster search", author: "octocat", labels: [],
};
const pr7 = { ...pr42, number: 7, headSha: "9b8c7d6e5f4a3b3f2a9c1d8e7b6a5f4c3d2e1f0a", branch: "fix/inventory" };

let applicationSet;
let applications;
const deployed = new Map(); // Application name -> rendered objects

before(async () => {
  applicationSet = only(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet");
  applications = generateApplications(applicationSet, [pr42, pr7]);
  for (const app of applications) deployed.set(app.metadata.name, await buildApplicationSource(app));
});

const app = (name) => applications.find((a) => a.metadata.name === name);

describe("the generated Applications", () => {
  test("PR n yields exactly <service>-pr-<n> for both services", () => {
    assert.deepEqual(applications.map((a) => a.metadata.name).sort(), [
      "api-service-pr-42", "api-service-pr-7", "store-service-pr-42", "store-service-pr-7",
    ]);
  });

  test("are valid Applications in the argocd namespace, in the PR project, pruned and self-healed", async () => {
    for (const application of applications) {
      assert.deepEqual(await schemaProblems(application), []);
      assert.equal(application.metadata.namespace, "argocd");
      assert.equal(application.spec.project, "canary-demo-pr");
      assert.deepEqual(application.spec.destination, { name: "dev", namespace: "apps" });
      assert.deepEqual(application.spec.syncPolicy.automated, { prune: true, selfHeal: true });
      // Closing the PR deletes the Application, and the finalizer deletes what it deployed.
      assert.deepEqual(application.metadata.finalizers, ["resources-finalizer.argocd.argoproj.io"]);
    }
  });

  test("track the pull request's head commit: revision and image tag", () => {
    const api = app("api-service-pr-42").spec.source;
    assert.equal(api.repoURL, placeholders.repoURL);
    assert.equal(api.targetRevision, pr42.headSha);
    assert.equal(api.path, overlayPath("api-service", "pr-canary"));
    assert.deepEqual(api.kustomize.images, [`${placeholders.registry}/api-service:pr-42-3f2a9c1`]);
    assert.deepEqual(app("store-service-pr-7").spec.source.kustomize.images, [
      `${placeholders.registry}/store-service:pr-7-9b8c7d6`,
    ]);
  });

  test("a push to the pull request changes the deployed pod template, so it rolls out", async () => {
    const pushed = generateApplications(applicationSet, [{ ...pr42, headSha: "c0ffee0000000000000000000000000000000000" }]);
    const after = only(await buildApplicationSource(pushed.find((a) => a.metadata.name === "api-service-pr-42")), "Deployment");
    const beforePush = only(deployed.get("api-service-pr-42"), "Deployment");
    assert.equal(beforePush.spec.template.spec.containers[0].image, `${placeholders.registry}/api-service:pr-42-3f2a9c1`);
    assert.equal(after.spec.template.spec.containers[0].image, `${placeholders.registry}/api-service:pr-42-c0ffee0`);
  });

  test("the generator is one GitHub pullRequest generator with explicit polling and a token Secret", () => {
    assert.equal(applicationSet.metadata.namespace, "argocd");
    assert.equal(applicationSet.spec.goTemplate, true);
    assert.deepEqual(applicationSet.spec.goTemplateOptions, ["missingkey=error"]);
    const [generator] = applicationSet.spec.generators;
    assert.equal(applicationSet.spec.generators.length, 1);
    const [pullRequest, list] = generator.matrix.generators;
    assert.deepEqual(pullRequest.pullRequest.github, {
      owner: "example-org", repo: "canary-demo", tokenRef: { secretName: "github-token", key: "token" },
    });
    assert.ok(Number.isInteger(pullRequest.pullRequest.requeueAfterSeconds));
    assert.deepEqual(list.list.elements.map((e) => e.service), services);
  });
});

describe("what PR 42 deploys", () => {
  test("exactly a Deployment, Service, ServiceAccount, ServiceMonitor and route per service, all named <service>-pr-42", () => {
    const summary = (name) => deployed.get(name).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    assert.deepEqual(summary("api-service-pr-42"), [
      "Deployment/api-service-pr-42", "IngressRoute/api-service-pr-42", "Service/api-service-pr-42",
      "ServiceAccount/api-service-pr-42", "ServiceMonitor/api-service-pr-42",
    ]);
    assert.deepEqual(summary("store-service-pr-42"), [
      "Deployment/store-service-pr-42", "GRPCRoute/store-service-pr-42", "Service/store-service-pr-42",
      "ServiceAccount/store-service-pr-42", "ServiceMonitor/store-service-pr-42",
    ]);
  });

  test("everything is valid, strictly, in the apps namespace, and allowed by the PR AppProject", async () => {
    const project = only(await render("manifests-microservices/applications/projects"), "AppProject", "canary-demo-pr");
    const allowed = new Set(project.spec.namespaceResourceWhitelist.map((k) => `${k.group}/${k.kind}`));
    assert.deepEqual(project.spec.clusterResourceWhitelist, []);
    assert.deepEqual(project.spec.destinations, [{ name: "dev", namespace: "apps" }]);
    for (const objects of deployed.values()) {
      for (const object of objects) {
        assert.deepEqual(await schemaProblems(object), []);
        assert.equal(object.metadata.namespace, "apps");
        const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
        assert.ok(allowed.has(`${group}/${object.kind}`), `${object.kind} is not in the PR AppProject`);
      }
    }
  });

  test("small: one replica, no autoscaler or disruption budget, the integration-001 configuration", async () => {
    for (const service of services) {
      const deployment = only(deployed.get(`${service}-pr-42`), "Deployment");
      assert.equal(deployment.spec.replicas, 1);
      const stable = only(await render(overlayPath(service, "integration-001")), "Deployment");
      const env = (d) => d.spec.template.spec.containers[0].env;
      assert.deepEqual(env(deployment), env(stable));
    }
    assert.equal(
      envValue(only(deployed.get("api-service-pr-42"), "Deployment").spec.template.spec.containers[0], "StoreService__Address").value,
      stableStoreAddress,
    );
  });

  test("the IngressRoute matches X-Canary: 42 on the dev host, above every stable route", async () => {
    const route = only(deployed.get("api-service-pr-42"), "IngressRoute");
    assert.equal(route.spec.routes.length, 1);
    const [rule] = route.spec.routes;
    assert.equal(rule.match, `Host(\`${placeholders.devHost}\`) && Header(\`X-Canary\`, \`42\`)`);
    assert.deepEqual(rule.services, [{ kind: "Service", name: "api-service-pr-42", port: 8080 }]);
    const stableRoute = only(await render(overlayPath("api-service", "integration-001")), "IngressRoute");
    assert.equal(stableRoute.spec.routes[0].match, `Host(\`${placeholders.devHost}\`)`);
    assert.deepEqual(route.spec.entryPoints, stableRoute.spec.entryPoints);
    assert.deepEqual(route.spec.tls, stableRoute.spec.tls);
    assert.equal(typeof rule.priority, "number", "PR route priority must be explicit");
    for (const environment of stableEnvironments) {
      for (const stable of ofKind(await render(overlayPath("api-service", environment)), "IngressRoute")) {
        for (const stableRule of stable.spec.routes) {
          assert.ok(rule.priority > routePriority(stableRule), `${environment}: ${stableRule.match}`);
        }
      }
    }
  });

  test("the GRPCRoute attaches to the stable store Service and sends x-canary: 42 to the PR's store", () => {
    const route = only(deployed.get("store-service-pr-42"), "GRPCRoute");
    assert.deepEqual(route.spec.parentRefs, [{ group: "", kind: "Service", name: "store-service", port: 8080 }]);
    assert.deepEqual(route.spec.rules, [{
      matches: [{
        method: { type: "Exact", service: "store.v1.StoreService" },
        headers: [{ type: "Exact", name: "x-canary", value: "42" }],
      }],
      backendRefs: [{ name: "store-service-pr-42", port: 8080 }],
    }]);
    assert.ok(only(deployed.get("store-service-pr-42"), "Service", "store-service-pr-42"));
  });
});

describe("selectors across stable and PR tracks in the dev cluster", () => {
  let objects;
  before(async () => {
    objects = [
      ...(await render(overlayPath("api-service", "integration-001"))),
      ...(await render(overlayPath("store-service", "integration-001"))),
      ...[...deployed.values()].flat(),
    ];
  });

  test("every Service selects the pods of its own Deployment and no other", () => {
    const deployments = ofKind(objects, "Deployment");
    assert.equal(deployments.length, 6);
    for (const service of ofKind(objects, "Service")) {
      const selected = deployments.filter((d) => selects(service.spec.selector, podLabels(d))).map((d) => d.metadata.name);
      assert.deepEqual(selected, [service.metadata.name], `Service ${service.metadata.name}`);
    }
  });

  test("every ServiceMonitor selects its own Service and no other", () => {
    const servicesInCluster = ofKind(objects, "Service");
    for (const monitor of ofKind(objects, "ServiceMonitor")) {
      const selected = servicesInCluster.filter((s) => selects(monitor.spec.selector, s.metadata.labels));
      assert.deepEqual(selected.map((s) => s.metadata.name), [monitor.metadata.name]);
    }
  });

  test("stable disruption budgets cover stable pods only", () => {
    const deployments = ofKind(objects, "Deployment");
    for (const budget of ofKind(objects, "PodDisruptionBudget")) {
      const selected = deployments.filter((d) => selects(budget.spec.selector, podLabels(d)));
      assert.deepEqual(selected.map((d) => d.metadata.name), [budget.metadata.name]);
    }
  });

  test("the stable store Service has the baseline catch-all route and one header route per PR", () => {
    const routes = ofKind(objects, "GRPCRoute").filter((r) =>
      r.spec.parentRefs.some((p) => p.kind === "Service" && p.name === "store-service"));
    assert.deepEqual(routes.map((r) => r.metadata.name).sort(), [
      "store-service-pr-42", "store-service-pr-7", "store-service-stable",
    ]);
    const baseline = routes.find((r) => r.metadata.name === "store-service-stable");
    assert.deepEqual(baseline.spec.rules, [{ backendRefs: [{ name: "store-service", port: 8080 }] }]);
  });
});
