// Every base, overlay and Argo CD kustomization renders with `kubectl kustomize`,
// and every rendered object is valid against the upstream schemas, strictly.
import assert from "node:assert/strict";
import { test } from "node:test";
import { allKustomizations, services, stableEnvironments } from "../testlib/layout.js";
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
  for (const folder of ["projects", ...stableEnvironments, "pr-canaries"]) {
    assert.ok(kustomizations.includes(`manifests-microservices/applications/${folder}`), folder);
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
