// The PR canary ApplicationSet rendered the way Argo CD would for sample pull requests
// and canary state, and what each generated Application deploys.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import {
  CANARY_LABEL, imageDigest, pr13, pr15, pr42, pr5, pr7, pr9, sampleState, scm, stateFiles, stateRevision, trustedCheckouts, trustedRevision,
} from "../testlib/canary-fixtures.js";
import { isolatedDataCheckout } from "../testlib/isolated-data.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import { manifestsDir, overlayPath, placeholders, repoRoot, services, stableEnvironments, stableStoreAddress } from "../testlib/layout.js";
import { envValue, ofKind, only, podLabels, routePriority, selects } from "../testlib/objects.js";
import { schemaProblems } from "../testlib/schema.js";
import { previewPath, recordSchema, stateFilePath } from "../../.github/scripts/canary-state.mjs";
import { services as recorderServices } from "../../.github/scripts/services.mjs";

const render = kustomizeCache();

let applicationSet;
let applications;
const deployed = new Map(); // Application name -> rendered objects

before(async () => {
  applicationSet = only(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
  applications = generateApplications(applicationSet, scm());
  for (const app of applications) deployed.set(app.metadata.name, await buildApplicationSource(app, trustedCheckouts()));
});

const app = (name) => applications.find((a) => a.metadata.name === name);
const names = (apps) => apps.map((a) => a.metadata.name).sort();

describe("which Applications exist", () => {
  test("only labelled open PRs' recorded images: api for PR 42, api and store for PR 7", () => {
    assert.deepEqual(names(applications), ["api-service-pr-42", "api-service-pr-7", "store-service-pr-7"]);
  });

  test("PR 9 is open and labelled but its image is not recorded yet: no Application", () => {
    assert.ok(!applications.some((a) => a.metadata.labels["canary-demo/pr"] === "9"));
    const recorded = generateApplications(applicationSet, scm([pr9], stateFiles([{ pr: 9, service: "api-service", commit: pr9.headSha }])));
    assert.deepEqual(names(recorded), ["api-service-pr-9"], "the same PR once CI recorded the pushed image");
  });

  test("a closed PR gets none, even while its state is still there", () => {
    assert.ok(sampleState["pr-5/api-service.json"]);
    assert.deepEqual(generateApplications(applicationSet, scm([pr5])), []);
    assert.deepEqual(names(generateApplications(applicationSet, scm([{ ...pr5, state: "open" }]))), ["api-service-pr-5"]);
  });

  test("an unlabelled PR and an unlabelled fork PR get none, even with state files", () => {
    for (const pr of [{ ...pr42, labels: ["bug"] }, pr15]) {
      assert.deepEqual(generateApplications(applicationSet, scm([pr])), [], `#${pr.number}`);
    }
    assert.deepEqual(names(generateApplications(applicationSet, scm([{ ...pr15, labels: [CANARY_LABEL] }]))),
      ["store-service-pr-15"], "the label filter is what keeps the forged state out");
  });

  test("a labelled draft gets none: CI records nothing for drafts", () => {
    assert.deepEqual(generateApplications(applicationSet, scm([pr13])), []);
  });

  test("a state file cannot speak for another PR: the pullRequest generator's number wins", () => {
    const forged = { "pr-42/api-service.json": JSON.stringify({ ...JSON.parse(sampleState["pr-42/api-service.json"]), number: "999" }) };
    const [forgedApp] = generateApplications(applicationSet, scm([pr42], forged));
    assert.equal(forgedApp.metadata.name, "api-service-pr-42");
    assert.equal(forgedApp.spec.source.kustomize.nameSuffix, "-pr-42");
  });

  test("a push does not move the canary before its image is recorded, and moves it once recorded", async () => {
    const pushed = { ...pr42, headSha: "c0ffee0000000000000000000000000000000000" };
    const [stillOld] = generateApplications(applicationSet, scm([pushed]));
    assert.deepEqual(stillOld.spec.source.kustomize.images, [`${placeholders.registry}/api-service@${imageDigest("api-service", pr42.headSha)}`]);
    const [moved] = generateApplications(applicationSet, scm([pushed], stateFiles([{ pr: 42, service: "api-service", commit: pushed.headSha }])));
    const before = only(deployed.get("api-service-pr-42"), "Deployment");
    const afterPush = only(await buildApplicationSource(moved, trustedCheckouts()), "Deployment");
    assert.equal(before.spec.template.spec.containers[0].image, `${placeholders.registry}/api-service@${imageDigest("api-service", pr42.headSha)}`);
    assert.equal(afterPush.spec.template.spec.containers[0].image, `${placeholders.registry}/api-service@${imageDigest("api-service", pushed.headSha)}`);
    assert.equal(moved.metadata.annotations["canary-demo/commit"], pushed.headSha);
  });
});

describe("the generated Applications", () => {
  test("are valid, in the argocd namespace and the PR project, pruned, self-healed and finalized", async () => {
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

  test("render the trusted revision, fully qualified, the one the stable Applications deploy, never a PR commit", async () => {
    const stable = only(await render("manifests-microservices/applications/integration-001"), "Application", "api-service-integration-001");
    assert.equal(stable.spec.source.targetRevision, trustedRevision);
    for (const application of applications) {
      assert.equal(application.spec.source.repoURL, placeholders.repoURL);
      assert.equal(application.spec.source.targetRevision, trustedRevision, application.metadata.name);
    }
    assert.equal(applicationSet.spec.template.spec.source.targetRevision, trustedRevision, "not templated at all");
  });

  test("fail a sync that would take over another Application's object", () => {
    for (const application of applications) {
      assert.ok(application.spec.syncPolicy.syncOptions.includes("FailOnSharedResource=true"), application.metadata.name);
    }
  });

  test("run the recorded image of the head commit, by digest", () => {
    assert.deepEqual(app("api-service-pr-42").spec.source.kustomize.images, [`${placeholders.registry}/api-service@${imageDigest("api-service", pr42.headSha)}`]);
    assert.deepEqual(app("store-service-pr-7").spec.source.kustomize.images, [`${placeholders.registry}/store-service@${imageDigest("store-service", pr7.headSha)}`]);
    assert.equal(app("api-service-pr-7").spec.source.path, overlayPath("api-service", "pr-canary"));
    assert.equal(only(deployed.get("store-service-pr-7"), "Deployment").spec.template.spec.containers[0].image,
      `${placeholders.registry}/store-service@${imageDigest("store-service", pr7.headSha)}`);
  });

  test("carry what the notifications report: the built commit, service, PR and its preview URL", () => {
    const annotations = app("api-service-pr-42").metadata.annotations;
    assert.equal(annotations["canary-demo/commit"], pr42.headSha);
    assert.equal(annotations["canary-demo/url"], `https://pr-42.${placeholders.devHost}`);
    assert.equal(app("store-service-pr-7").metadata.annotations["canary-demo/url"], `https://pr-7.${placeholders.devHost}`);
    assert.deepEqual(app("store-service-pr-7").metadata.labels, {
      "app.kubernetes.io/part-of": "canary-demo", "canary-demo/pr": "7", "canary-demo/service": "store-service",
    });
  });

  test("the generator: labelled pullRequest generator first, then the service records of that PR (not its preview record)", () => {
    assert.equal(applicationSet.metadata.namespace, "argocd");
    assert.equal(applicationSet.spec.goTemplate, true);
    assert.deepEqual(applicationSet.spec.goTemplateOptions, ["missingkey=error"]);
    assert.equal(applicationSet.spec.generators.length, 1);
    const [pullRequest, git] = applicationSet.spec.generators[0].matrix.generators;
    assert.deepEqual(pullRequest.pullRequest.github, {
      owner: "example-org", repo: "canary-demo", tokenRef: { secretName: "github-token", key: "token" }, labels: [CANARY_LABEL],
    });
    assert.deepEqual(git.git.files, [{ path: "pr-{{.number}}/*-service.json" }]);
    // Every service's record matches the pattern, and the preview record does not.
    const pattern = new RegExp(`^${git.git.files[0].path.replace("{{.number}}", "42").replaceAll(".", "\\.").replaceAll("*", ".*")}$`);
    for (const { name } of recorderServices) assert.match(stateFilePath(42, name), pattern);
    assert.doesNotMatch(previewPath(42), pattern);
    assert.equal(git.git.repoURL, placeholders.repoURL);
    assert.equal(git.git.revision, stateRevision, "fully qualified: no tag of that name can stand in for the branch");
    for (const generator of [pullRequest.pullRequest, git.git]) assert.ok(Number.isInteger(generator.requeueAfterSeconds));
  });

  test("templatePatch checks the record against the recorder's own schema and services, and the template reads no record value", () => {
    const patch = applicationSet.spec.templatePatch;
    assert.ok(patch.includes(`regexMatch "^(${recorderServices.map((s) => s.name).join("|")})$" $service`), "the services of services.mjs");
    assert.ok(patch.includes(`regexMatch "${recordSchema.digest.source}" $digest`), "the recorder's digest pattern");
    assert.ok(patch.includes(`regexMatch "${recordSchema.commit.source}" $commit`), "the recorder's commit pattern");
    assert.ok(patch.includes('eq .path.path (printf "pr-%s" .number)'), "the record sits in this PR's own folder");
    assert.match(patch, /toString \(index \. "digest"\)/, "index: a missing key is no error");
    // Only the generators' parameters in the template itself: a record value there could fail every render.
    const actions = [...JSON.stringify(applicationSet.spec.template).matchAll(/\{\{(.*?)\}\}/g)].map((m) => m[1]);
    const used = new Set(actions.flatMap((action) => [...action.matchAll(/(?:^|[\s(])\.([a-z_][\w.]*)/g)].map((m) => m[1])));
    assert.deepEqual([...used].sort(), ["number", "path.filename"]);
  });
});

describe("a PR's manifest changes", () => {
  let prHead;
  before(() => {
    // PR 42's head commit, changing manifests: an edge route above everything, a mesh
    // route that matches another header, and a container that may escalate privileges.
    prHead = mkdtempSync(join(tmpdir(), "pr-head-"));
    cpSync(manifestsDir, join(prHead, "manifests-microservices"), { recursive: true, filter: (p) => !p.includes("node_modules") });
    const edit = (path, from, to) => {
      const file = join(prHead, "manifests-microservices", path);
      const text = readFileSync(file, "utf8");
      assert.ok(text.includes(from), `${path} contains ${from}`);
      writeFileSync(file, text.replace(from, to));
    };
    edit("kustomize/api-service/overlays/pr-canary/ingressroute.yaml", "priority: 1000", "priority: 99999");
    edit("kustomize/store-service/overlays/pr-canary/grpcroute.yaml", "name: x-canary", "name: x-tenant-id");
    edit("kustomize/api-service/base/deployment.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true");
  });
  after(() => rmSync(prHead, { recursive: true, force: true }));

  const withHead = (root) => ({ [placeholders.repoURL]: { [trustedRevision]: repoRoot, [pr42.headSha]: root, [pr7.headSha]: root } });

  test("change nothing that renders for the PR", async () => {
    for (const application of applications) {
      const rendered = await buildApplicationSource(application, withHead(prHead));
      assert.deepEqual(rendered, deployed.get(application.metadata.name), application.metadata.name);
    }
  });

  test("would change it, if an Application rendered the PR's head (the check can fail)", async () => {
    const fromHead = structuredClone(app("api-service-pr-42"));
    fromHead.spec.source.targetRevision = pr42.headSha;
    const rendered = await buildApplicationSource(fromHead, withHead(prHead));
    assert.equal(only(rendered, "IngressRoute").spec.routes[0].priority, 99999);
    assert.notDeepEqual(rendered, deployed.get("api-service-pr-42"));
  });
});

describe("what PR 7 deploys", () => {
  test("exactly a Deployment, Service, ServiceAccount, ServiceMonitor and route per service (and the api's gate), all suffixed -pr-7", () => {
    const summary = (name) => deployed.get(name).map((o) => `${o.kind}/${o.metadata.name}`).sort();
    assert.deepEqual(summary("api-service-pr-7"), [
      "Deployment/api-service-pr-7", "IngressRoute/api-service-pr-7", "Middleware/pr-gate-pr-7", "Service/api-service-pr-7",
      "ServiceAccount/api-service-pr-7", "ServiceMonitor/api-service-pr-7",
    ]);
    assert.deepEqual(summary("store-service-pr-7"), [
      "Deployment/store-service-pr-7", "GRPCRoute/store-service-pr-7", "Service/store-service-pr-7",
      "ServiceAccount/store-service-pr-7", "ServiceMonitor/store-service-pr-7",
    ]);
  });

  test("everything is valid, strictly, in the apps namespace, and the PR AppProject allows exactly these kinds", async () => {
    const project = only(await render("manifests-microservices/applications/projects"), "AppProject", "canary-demo-pr");
    const allowed = project.spec.namespaceResourceWhitelist.map((k) => `${k.group}/${k.kind}`).sort();
    assert.deepEqual(project.spec.clusterResourceWhitelist, []);
    assert.deepEqual(project.spec.destinations, [{ name: "dev", namespace: "apps" }]);
    assert.deepEqual(project.spec.sourceRepos, [placeholders.repoURL]);
    const rendered = new Set();
    // With per-PR data on, the store Applications also render their Table.
    const isolated = isolatedDataCheckout();
    try {
      const withData = await buildApplicationSource(app("store-service-pr-7"), isolated.checkouts);
      for (const objects of [...deployed.values(), withData]) {
        for (const object of objects) {
          assert.deepEqual(await schemaProblems(object), []);
          assert.equal(object.metadata.namespace, "apps");
          rendered.add(`${object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : ""}/${object.kind}`);
        }
      }
    } finally {
      isolated.remove();
    }
    assert.deepEqual([...rendered].sort(), allowed);
  });

  test("small: one replica, no autoscaler or disruption budget, the integration-001 configuration but for the track", async () => {
    for (const service of services) {
      const deployment = only(deployed.get(`${service}-pr-7`), "Deployment");
      assert.equal(deployment.spec.replicas, 1);
      const stable = only(await render(overlayPath(service, "integration-001")), "Deployment");
      const env = (d) => d.spec.template.spec.containers[0].env;
      const withoutTrack = (d) => env(d).filter((e) => e.name !== "Canary__Track");
      assert.deepEqual(withoutTrack(deployment), withoutTrack(stable));
      assert.deepEqual(envValue(deployment.spec.template.spec.containers[0], "Canary__Track"), { name: "Canary__Track", value: "pr-7" });
    }
    assert.equal(
      envValue(only(deployed.get("api-service-pr-7"), "Deployment").spec.template.spec.containers[0], "StoreService__Address").value,
      stableStoreAddress,
    );
  });

  test("the IngressRoute matches X-Canary: 7 on the dev host, above every stable route", async () => {
    const route = only(deployed.get("api-service-pr-7"), "IngressRoute");
    assert.equal(route.spec.routes.length, 1);
    const [rule] = route.spec.routes;
    assert.equal(rule.match, `Host(\`${placeholders.devHost}\`) && Header(\`X-Canary\`, \`7\`)`);
    assert.deepEqual(rule.services, [{ kind: "Service", name: "api-service-pr-7", port: 8080 }]);
    const stableRoute = only(await render(overlayPath("api-service", "integration-001")), "IngressRoute", "api-service-stable");
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

  test("the GRPCRoute attaches to the stable store Service and sends x-canary: 7 to the PR's store", () => {
    const route = only(deployed.get("store-service-pr-7"), "GRPCRoute");
    assert.deepEqual(route.spec.parentRefs, [{ group: "", kind: "Service", name: "store-service", port: 8080 }]);
    assert.deepEqual(route.spec.rules, [{
      matches: [{
        method: { type: "Exact", service: "store.v1.StoreService" },
        headers: [{ type: "Exact", name: "x-canary", value: "7" }],
      }],
      backendRefs: [{ name: "store-service-pr-7", port: 8080 }],
    }]);
  });

  test("routes come in sync wave 1, after the Deployment is healthy; everything else in wave 0", () => {
    for (const objects of deployed.values()) {
      for (const object of objects) {
        const wave = object.metadata.annotations?.["argocd.argoproj.io/sync-wave"] ?? "0";
        assert.equal(wave, ["IngressRoute", "GRPCRoute"].includes(object.kind) ? "1" : "0", `${object.kind}/${object.metadata.name}`);
      }
    }
  });
});

describe("routing in the dev cluster with PR 42 (api only) and PR 7 (both)", () => {
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
    assert.equal(deployments.length, 5);
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

  test("edge: a PR route for each PR that changed the api; X-Canary: 42 and 7 reach their api", () => {
    const routes = ofKind(objects, "IngressRoute").map((r) => `${r.metadata.name} ${r.spec.routes[0].match}`).sort();
    assert.deepEqual(routes, [
      `api-service-canary-gate Host(\`${placeholders.devHost}\`) && HeaderRegexp(\`X-Canary\`, \`^[1-9][0-9]{0,8}$\`)`,
      `api-service-pr-42 Host(\`${placeholders.devHost}\`) && Header(\`X-Canary\`, \`42\`)`,
      `api-service-pr-7 Host(\`${placeholders.devHost}\`) && Header(\`X-Canary\`, \`7\`)`,
      `api-service-preview-hosts HostRegexp(\`^.+\\.${placeholders.devHost.replaceAll(".", "\\.")}$\`)`,
      `api-service-stable Host(\`${placeholders.devHost}\`)`,
    ]);
  });

  test("mesh: the baseline catch-all plus a header route for PR 7 only; PR 42's store calls fall back to stable", () => {
    const routes = ofKind(objects, "GRPCRoute").filter((r) =>
      r.spec.parentRefs.some((p) => p.kind === "Service" && p.name === "store-service"));
    assert.deepEqual(routes.map((r) => r.metadata.name).sort(), ["store-service-pr-7", "store-service-stable"]);
    const baseline = routes.find((r) => r.metadata.name === "store-service-stable");
    assert.deepEqual(baseline.spec.rules, [{ backendRefs: [{ name: "store-service", port: 8080 }] }]);
    assert.ok(!ofKind(objects, "Deployment").some((d) => d.metadata.name === "store-service-pr-42"));
  });
});
