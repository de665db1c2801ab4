// Invariants over everything that can be deployed: every stable overlay, the PR
// canary overlays, and what the ApplicationSet deploys for a sample PR.
import assert from "node:assert/strict";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import { parseAllDocuments } from "yaml";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import { pr7, scm, stateFiles, trustedCheckouts } from "../testlib/canary-fixtures.js";
import { kustomizeCache } from "../testlib/kustomize.js";
import {
  kustomizationFile, manifestsDir, overlayPath, placeholders, repoRoot, services, stableEnvironments, stableStoreAddress,
} from "../testlib/layout.js";
import { allContainers, envValue, ofKind, only, podSpecs, selects } from "../testlib/objects.js";

const render = kustomizeCache();
// A PR that changed both services, so that both canary kinds are among the deployables.
const bothChanged = scm([pr7], stateFiles(["api-service", "store-service"].map((service) => ({ pr: 7, service, commit: pr7.headSha }))));

/** name -> { service, objects } for every deployable render. */
const deployables = new Map();

before(async () => {
  for (const service of services) {
    for (const overlay of [...stableEnvironments, "pr-canary"]) {
      deployables.set(`${service} ${overlay}`, { service, objects: await render(overlayPath(service, overlay)) });
    }
  }
  const applicationSet = only(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
  for (const app of generateApplications(applicationSet, bothChanged)) {
    const service = services.find((s) => app.metadata.name.startsWith(`${s}-pr-`));
    deployables.set(`${service} ${app.metadata.name}`, { service, objects: await buildApplicationSource(app, trustedCheckouts()) });
  }
});

function forEachDeployable(check) {
  for (const [name, { service, objects }] of deployables) check(name, service, objects);
}

/** Every key path under a value where the key is `exec`. */
function execHandlers(value, path = "") {
  if (Array.isArray(value)) return value.flatMap((item, i) => execHandlers(item, `${path}/${i}`));
  if (value === null || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === "exec" ? [`${path}/${key}`] : execHandlers(item, `${path}/${key}`));
}

const quantityMiB = (quantity) => {
  const match = /^(\d+)(Mi|Gi)$/.exec(quantity);
  assert.ok(match, `memory quantity ${quantity} in Mi or Gi`);
  return Number(match[1]) * (match[2] === "Gi" ? 1024 : 1);
};

describe("pods", () => {
  test("have no exec probes or hooks (the images have no shell)", () => {
    assert.ok(deployables.size >= 10);
    forEachDeployable((name, _, objects) => {
      for (const { owner, spec } of podSpecs(objects)) assert.deepEqual(execHandlers(spec), [], `${name} ${owner}`);
    });
  });

  test("run every container non-root, read-only, unprivileged, with requests and limits sized for AOT", () => {
    forEachDeployable((name, _, objects) => {
      for (const { owner, spec } of podSpecs(objects)) {
        assert.equal(spec.securityContext?.runAsNonRoot, true, `${name} ${owner}`);
        assert.ok(spec.securityContext.runAsUser > 0, `${name} ${owner}`);
        assert.equal(spec.securityContext.seccompProfile?.type, "RuntimeDefault");
        for (const container of allContainers(spec)) {
          const where = `${name} ${owner} ${container.name}`;
          const security = container.securityContext ?? {};
          assert.equal(security.allowPrivilegeEscalation, false, where);
          assert.equal(security.readOnlyRootFilesystem, true, where);
          assert.deepEqual(security.capabilities?.drop, ["ALL"], where);
          assert.notEqual(security.runAsNonRoot, false, where);
          assert.notEqual(security.privileged, true, where);
          const { requests, limits } = container.resources ?? {};
          for (const resource of ["cpu", "memory"]) {
            assert.ok(requests?.[resource] && limits?.[resource], `${where}: ${resource} request and limit`);
          }
          assert.ok(quantityMiB(limits.memory) <= 256, `${where}: memory limit ${limits.memory}`);
          assert.ok(quantityMiB(requests.memory) <= quantityMiB(limits.memory), where);
        }
      }
    });
  });

  test("shut down gracefully: 30 s grace covers the preStop pause and the 20 s shutdown timeout", () => {
    forEachDeployable((name, _, objects) => {
      for (const { owner, spec } of podSpecs(objects)) {
        assert.equal(spec.terminationGracePeriodSeconds, 30, `${name} ${owner}`);
        for (const container of spec.containers) {
          const pause = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
          assert.ok(pause > 0 && pause + 20 <= 30, `${name} ${owner}: preStop ${pause} s`);
        }
      }
    });
  });

  test("keep the Linkerd proxy up until the app has drained: app pause + 20 s <= proxy wait < grace", () => {
    forEachDeployable((name, _, objects) => {
      for (const deployment of ofKind(objects, "Deployment")) {
        const { metadata, spec } = deployment.spec.template;
        assert.equal(metadata.annotations["linkerd.io/inject"], "enabled", name);
        const wait = Number(metadata.annotations["config.alpha.linkerd.io/proxy-wait-before-exit-seconds"]);
        const pause = spec.containers[0].lifecycle.preStop.sleep.seconds;
        assert.ok(Number.isInteger(wait), `${name}: proxy-wait-before-exit-seconds is set`);
        assert.ok(wait > pause && wait >= pause + 20, `${name}: proxy waits ${wait} s, app pauses ${pause} s and drains up to 20 s`);
        assert.ok(wait < spec.terminationGracePeriodSeconds, `${name}: proxy wait below the grace period`);
        // Linkerd applies the wait only to a classic sidecar, not to a native one.
        assert.equal(metadata.annotations["config.alpha.linkerd.io/proxy-enable-native-sidecar"], undefined, name);
      }
    });
  });

  test("run the service's own image pinned by digest: stable as <version>@<digest>, PR canaries by digest alone", () => {
    forEachDeployable((name, service, objects) => {
      for (const { spec } of podSpecs(objects)) {
        const [container] = spec.containers;
        const pinned = name.includes("-pr-")
          ? new RegExp(`^${placeholders.registry}/${service}@sha256:[0-9a-f]{64}$`)
          : new RegExp(`^${placeholders.registry}/${service}:\\d+\\.\\d+\\.\\d+@sha256:[0-9a-f]{64}$`);
        assert.match(container.image, pinned, name);
      }
    });
  });

  test("listen where the conventions say and are probed over HTTP (api) or gRPC (store)", () => {
    forEachDeployable((name, service, objects) => {
      const container = only(objects, "Deployment").spec.template.spec.containers[0];
      assert.equal(envValue(container, "ASPNETCORE_URLS")?.value, "http://+:8080", name);
      assert.equal(envValue(container, "Management__Port")?.value, "9090", name);
      const ports = Object.fromEntries(container.ports.map((p) => [p.name, p.containerPort]));
      if (service === "api-service") {
        assert.deepEqual(ports, { http: 8080, metrics: 9090 }, name);
        assert.deepEqual(container.livenessProbe.httpGet, { path: "/healthz/live", port: "http" });
        assert.deepEqual(container.startupProbe.httpGet, { path: "/healthz/live", port: "http" });
        assert.deepEqual(container.readinessProbe.httpGet, { path: "/healthz/ready", port: "http" });
      } else {
        assert.deepEqual(ports, { grpc: 8080, metrics: 9090 }, name);
        // Start-up and liveness without dependency checks; readiness includes DynamoDB.
        assert.deepEqual(container.startupProbe.grpc, { port: 8080, service: "liveness" }, name);
        assert.deepEqual(container.livenessProbe.grpc, { port: 8080, service: "liveness" }, name);
        assert.deepEqual(container.readinessProbe.grpc, { port: 8080, service: "store.v1.StoreService" }, name);
      }
    });
  });
});

describe("configuration", () => {
  test("the api-service always dials the stable store Service", () => {
    forEachDeployable((name, service, objects) => {
      if (service !== "api-service") return;
      const container = only(objects, "Deployment").spec.template.spec.containers[0];
      assert.equal(envValue(container, "StoreService__Address")?.value, stableStoreAddress, name);
      assert.match(envValue(container, "StoreService__TimeoutSeconds")?.value ?? "", /^[1-9]\d*$/);
      assert.match(envValue(container, "Cors__AllowedOrigins__0")?.value ?? "", /^https:\/\/[a-z0-9.-]+$/, name);
    });
  });

  test("tenancy: production and staging validate bearer tokens (Jwt), the dev cluster and its PR canaries trust X-Tenant-ID (Header)", () => {
    forEachDeployable((name, service, objects) => {
      if (service !== "api-service") return;
      const container = only(objects, "Deployment").spec.template.spec.containers[0];
      const value = (key) => envValue(container, key)?.value;
      if (/production|staging/.test(name)) {
        assert.equal(value("Auth__Mode"), "Jwt", name);
        assert.match(value("Auth__Jwt__Authority") ?? "", /^https:\/\/[a-z0-9.-]+\/$/, name);
        assert.equal(value("Auth__Jwt__Issuer"), value("Auth__Jwt__Authority"), name);
        assert.match(value("Auth__Jwt__Audience") ?? "", /^[a-z0-9-]+$/, name);
        assert.equal(value("Auth__Jwt__SigningKeys"), undefined, `${name}: keys from discovery, not configuration`);
      } else {
        assert.equal(value("Auth__Mode"), "Header", name);
        assert.ok(!container.env.some((variable) => variable.name.startsWith("Auth__Jwt__")), name);
      }
    });
  });

  test("the store-service uses real DynamoDB and takes its signing key from the Secret", () => {
    forEachDeployable((name, service, objects) => {
      if (service !== "store-service") return;
      const container = only(objects, "Deployment").spec.template.spec.containers[0];
      assert.match(envValue(container, "Store__TableName")?.value ?? "", /^canary-demo-/, name);
      assert.match(envValue(container, "Store__Region")?.value ?? "", /^[a-z]{2}-[a-z]+-\d$/, name);
      assert.equal(envValue(container, "Store__CreateTableIfMissing")?.value, "false", name);
      assert.equal(envValue(container, "Store__ServiceUrl"), undefined, `${name}: no DynamoDB endpoint override`);
      assert.deepEqual(envValue(container, "Store__PageTokenSigningKey"), {
        name: "Store__PageTokenSigningKey",
        valueFrom: { secretKeyRef: { name: "store-service-page-token", key: "signing-key" } },
      });
      const account = only(objects, "ServiceAccount");
      assert.match(account.metadata.annotations?.["eks.amazonaws.com/role-arn"] ?? "", /^arn:aws:iam::\d{12}:role\//, name);
    });
  });

  test("every ServiceAccount pulls with the ghcr-pull Secret, which is never committed", () => {
    forEachDeployable((name, _, objects) => {
      for (const account of ofKind(objects, "ServiceAccount")) {
        assert.deepEqual(account.imagePullSecrets, [{ name: "ghcr-pull" }], `${name} ${account.metadata.name}`);
      }
      const pods = podSpecs(objects);
      assert.ok(pods.every(({ spec }) => ofKind(objects, "ServiceAccount").some((a) => a.metadata.name === spec.serviceAccountName)), name);
    });
  });

  test("no secret is committed: no Secret objects, no literal values for secret-looking variables", () => {
    forEachDeployable((name, _, objects) => {
      assert.deepEqual(ofKind(objects, "Secret"), [], name);
      for (const { spec } of podSpecs(objects)) {
        for (const variable of spec.containers.flatMap((c) => c.env ?? [])) {
          if (/key|secret|password|token/i.test(variable.name)) {
            assert.equal(variable.value, undefined, `${name}: ${variable.name} has a literal value`);
          }
        }
      }
    });
  });
});

describe("services and monitoring", () => {
  test("each Service exposes the service port and metrics on 9090, targeting named container ports", () => {
    forEachDeployable((name, service, objects) => {
      const svc = only(objects, "Service");
      const expected = service === "api-service"
        ? [{ name: "http", port: 8080, targetPort: "http", protocol: "TCP" },
          { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" }]
        : [{ name: "grpc", port: 8080, targetPort: "grpc", protocol: "TCP", appProtocol: "kubernetes.io/h2c" },
          { name: "metrics", port: 9090, targetPort: "metrics", protocol: "TCP" }];
      assert.deepEqual(svc.spec.ports, expected, name);
      const pods = only(objects, "Deployment").spec.template.metadata.labels;
      assert.ok(selects(svc.spec.selector, pods), `${name}: Service selects its pods`);
    });
  });

  test("every ServiceMonitor selects a Service of the same render and scrapes its metrics port", () => {
    forEachDeployable((name, _, objects) => {
      const monitors = ofKind(objects, "ServiceMonitor");
      assert.equal(monitors.length, 1, name);
      for (const monitor of monitors) {
        const selected = ofKind(objects, "Service").filter((s) => selects(monitor.spec.selector, s.metadata.labels));
        assert.equal(selected.length, 1, `${name}: ${monitor.metadata.name} selects one Service`);
        assert.deepEqual(monitor.spec.endpoints.map((e) => [e.port, e.path]), [["metrics", "/metrics"]]);
        assert.ok(selected[0].spec.ports.some((p) => p.name === "metrics" && p.port === 9090));
      }
    });
  });

  test("stable workloads autoscale and have a disruption budget; autoscalers target their Deployment", () => {
    forEachDeployable((name, _, objects) => {
      const deployment = only(objects, "Deployment");
      const autoscalers = ofKind(objects, "HorizontalPodAutoscaler");
      const budgets = ofKind(objects, "PodDisruptionBudget");
      const stable = deployment.spec.template.metadata.labels["canary-demo/track"] === "stable";
      assert.equal(autoscalers.length, stable ? 1 : 0, name);
      assert.equal(budgets.length, stable ? 1 : 0, name);
      if (!stable) return;
      assert.equal(deployment.spec.replicas, undefined, `${name}: the autoscaler owns replicas`);
      assert.deepEqual(autoscalers[0].spec.scaleTargetRef, { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name });
      // The app container's CPU, which has a request; the pod's would include the unrequested linkerd-proxy.
      const [app] = deployment.spec.template.spec.containers;
      assert.deepEqual(autoscalers[0].spec.metrics, [{
        type: "ContainerResource",
        containerResource: { name: "cpu", container: app.name, target: { type: "Utilization", averageUtilization: 70 } },
      }], name);
      assert.ok(app.resources.requests.cpu, name);
      assert.ok(autoscalers[0].spec.minReplicas <= autoscalers[0].spec.maxReplicas);
      assert.ok(selects(budgets[0].spec.selector, deployment.spec.template.metadata.labels), name);
    });
  });
});

describe("stable routing", () => {
  for (const environment of stableEnvironments) {
    test(`${environment}: one stable IngressRoute to the stable api Service, with an explicit priority and no gate`, async () => {
      const routes = ofKind(await render(overlayPath("api-service", environment)), "IngressRoute");
      const gateRoutes = environment === "integration-001" ? ["api-service-canary-gate", "api-service-preview-hosts"] : [];
      assert.deepEqual(routes.map((r) => r.metadata.name).sort(), ["api-service-stable", ...gateRoutes].sort());
      const stable = routes.find((r) => r.metadata.name === "api-service-stable");
      assert.equal(stable.spec.routes.length, 1);
      const [rule] = stable.spec.routes;
      assert.match(rule.match, /^Host\(`[a-z0-9.-]+`\)$/);
      assert.equal(typeof rule.priority, "number");
      assert.deepEqual(rule.services, [{ kind: "Service", name: "api-service", port: 8080 }]);
      assert.equal(rule.middlewares, undefined, "the stable route is never gated");
    });

    test(`${environment}: the baseline GRPCRoute catches every call to the stable store Service`, async () => {
      const routes = ofKind(await render(overlayPath("store-service", environment)), "GRPCRoute");
      assert.equal(routes.length, 1);
      assert.deepEqual(routes[0].spec, {
        parentRefs: [{ group: "", kind: "Service", name: "store-service", port: 8080 }],
        rules: [{ backendRefs: [{ name: "store-service", port: 8080 }] }],
      });
    });
  }
});

describe("Argo CD Applications", () => {
  let projects;
  before(async () => {
    projects = ofKind(await render("manifests-microservices/applications/projects"), "AppProject");
  });

  for (const environment of stableEnvironments) {
    test(`${environment}: one Application per service, on an existing path, allowed by its project`, async () => {
      const applications = ofKind(await render(`manifests-microservices/applications/${environment}`), "Application");
      assert.deepEqual(applications.map((a) => a.metadata.name).sort(), services.map((s) => `${s}-${environment}`));
      for (const application of applications) {
        const { source, destination, project } = application.spec;
        assert.equal(application.metadata.namespace, "argocd");
        assert.equal(source.repoURL, placeholders.repoURL);
        assert.ok(kustomizationFile(join(repoRoot, source.path)), `${source.path} exists`);
        assert.ok(source.path.endsWith(`/overlays/${environment}`));
        assert.deepEqual(application.spec.syncPolicy.automated, { prune: true, selfHeal: true });
        const appProject = projects.find((p) => p.metadata.name === project);
        assert.ok(appProject, `project ${project} exists`);
        assert.ok(appProject.spec.destinations.some((d) => d.name === destination.name && d.namespace === destination.namespace));
        const allowed = new Set(appProject.spec.namespaceResourceWhitelist.map((k) => `${k.group}/${k.kind}`));
        for (const object of await render(source.path)) {
          const group = object.apiVersion.includes("/") ? object.apiVersion.split("/")[0] : "";
          assert.ok(allowed.has(`${group}/${object.kind}`), `${object.kind} allowed in ${project}`);
        }
      }
    });
  }

  test("every Argo CD object file names the argocd namespace itself, not only through its kustomization", () => {
    const files = readdirSync(join(manifestsDir, "applications"), { recursive: true })
      .filter((f) => f.endsWith(".yaml") && !f.endsWith("kustomization.yaml"));
    assert.ok(files.length >= 10, files.join(", "));
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(join(manifestsDir, "applications", file), "utf8"))) {
        assert.equal(doc.toJS().metadata.namespace, "argocd", file);
      }
    }
  });

  test("projects allow no cluster-scoped resources and only the repository", () => {
    assert.deepEqual(projects.map((p) => p.metadata.name).sort(), ["canary-demo", "canary-demo-pr"]);
    for (const project of projects) {
      assert.equal(project.metadata.namespace, "argocd");
      assert.deepEqual(project.spec.clusterResourceWhitelist, []);
      assert.deepEqual(project.spec.sourceRepos, [placeholders.repoURL]);
      assert.ok(project.spec.destinations.every((d) => d.namespace === "apps"));
    }
  });

  test("the ApplicationSet's source path exists for every service", async () => {
    const applicationSet = only(await render("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
    for (const app of generateApplications(applicationSet, bothChanged)) {
      assert.ok(existsSync(join(repoRoot, app.spec.source.path, "kustomization.yaml")), app.spec.source.path);
    }
  });
});
