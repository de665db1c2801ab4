// Where things are, and which kustomizations exist (discovered, so a new overlay
// is tested without anyone remembering to list it).
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const manifestsDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoRoot = dirname(manifestsDir);

// The placeholders README.md tells adopters to change, asserted by the tests.
export const placeholders = Object.freeze({
  repoURL: "https://github.com/example-org/canary-demo.git",
  registry: "ghcr.io/example-org",
  devHost: "api.dev.example.com",
});

export const services = Object.freeze(["api-service", "store-service"]);
export const stableEnvironments = Object.freeze(["production", "staging", "integration-001"]);
export const stableStoreAddress = "http://store-service.apps.svc.cluster.local:8080";

export function kustomizationFile(dir) {
  for (const name of ["kustomization.yaml", "kustomization.yml", "Kustomization"]) {
    const file = join(dir, name);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** Every Kustomization (not Component) under kustomize/, applications/ and smoke/, repo-relative. */
export function allKustomizations() {
  const found = [];
  const walk = (dir) => {
    const file = kustomizationFile(dir);
    if (file && parse(readFileSync(file, "utf8"))?.kind !== "Component") {
      found.push(relative(repoRoot, dir));
    }
    for (const entry of readdirSync(dir)) {
      const child = join(dir, entry);
      if (statSync(child).isDirectory()) walk(child);
    }
  };
  walk(join(manifestsDir, "kustomize"));
  walk(join(manifestsDir, "applications"));
  walk(join(manifestsDir, "smoke"));
  return found.sort();
}

export const overlayPath = (service, overlay) =>
  `manifests-microservices/kustomize/${service}/overlays/${overlay}`;
