// Every base, overlay and Argo CD kustomization renders with `kubectl kustomize`,
// and every rendered object is valid against the upstream schemas, strictly.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { allKustomizations, manifestsDir, services, stableEnvironments } from "../testlib/layout.js";
import { kustomize } from "../testlib/kustomize.js";
import { schemaProblems } from "../testlib/schema.js";

const kustomizations = allKustomizations();

test("the discovered kustomizations include every base, overlay and Argo CD folder", () => {
  for (const service of services) {
    assert.ok(kustomizations.includes(`manifests-microservices/kustomize/${service}/base`));
    for (const overlay of [...stableEnvironments, "pr-canary"]) {
      assert.ok(kustomizations.includes(`manifests-microservices/kustomize/${service}/overlays/${overlay}`), overlay);
    }
  }
  for (const folder of ["projects", ...stableEnvironments, "pr-canaries", "notifications"]) {
    assert.ok(kustomizations.includes(`manifests-microservices/applications/${folder}`), folder);
  }
  for (const folder of ["stable", "dependencies"]) {
    assert.ok(kustomizations.includes(`manifests-microservices/smoke/${folder}`), folder);
  }
});

test("every install command in README.md applies a kustomization these tests render", () => {
  const readme = readFileSync(join(manifestsDir, "README.md"), "utf8");
  const applied = [...readme.matchAll(/kubectl apply -k (\S+)/g)].map((m) => m[1].replace(/\/$/, ""));
  assert.ok(applied.length >= 6, `found ${applied.length} install commands`);
  for (const path of applied) assert.ok(kustomizations.includes(path), `${path} is not a tested kustomization`);
  for (const folder of ["projects", ...stableEnvironments, "pr-canaries", "notifications"]) {
    assert.ok(applied.includes(`manifests-microservices/applications/${folder}`), `README installs ${folder}`);
  }
});

for (const dir of kustomizations) {
  test(`${dir} renders and every object is valid and has no unknown fields`, async () => {
    const objects = await kustomize(dir);
    assert.ok(objects.length > 0, "renders no objects");
    const problems = [];
    for (const object of objects) problems.push(...(await schemaProblems(object)));
    assert.deepEqual(problems, []);
  });
}
