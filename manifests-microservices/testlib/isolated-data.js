// The per-PR data switch (kustomize/store-service/components/isolated-data), turned on the
// way README.md says: the component listed in the store's pr-canary overlay. Applied to a
// copy of the manifests that stands in for the default branch with the switch on.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { trustedCheckouts } from "./canary-fixtures.js";
import { manifestsDir, overlayPath } from "./layout.js";

export const isolatedDataComponent = "../../components/isolated-data";

/** A checkout of the manifests with isolated data on, and a function that removes it. */
export function isolatedDataCheckout() {
  const root = mkdtempSync(join(tmpdir(), "isolated-data-"));
  cpSync(manifestsDir, join(root, "manifests-microservices"), { recursive: true, filter: (p) => !p.includes("node_modules") });
  const file = join(root, overlayPath("store-service", "pr-canary"), "kustomization.yaml");
  const kustomization = parse(readFileSync(file, "utf8"));
  kustomization.components = [...kustomization.components, isolatedDataComponent];
  writeFileSync(file, stringify(kustomization));
  return { checkouts: trustedCheckouts(root), remove: () => rmSync(root, { recursive: true, force: true }) };
}
