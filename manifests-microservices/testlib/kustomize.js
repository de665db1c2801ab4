// Renders a kustomization with the real `kubectl kustomize`.
import { execFile } from "node:child_process";
import { isAbsolute, join } from "node:path";
import { promisify } from "node:util";
import { parseAllDocuments } from "yaml";
import { repoRoot } from "./layout.js";

const run = promisify(execFile);

/** Objects rendered from a kustomization directory (absolute, or relative to the repository root). */
export async function kustomize(dir) {
  const path = isAbsolute(dir) ? dir : join(repoRoot, dir);
  let stdout;
  try {
    ({ stdout } = await run("kubectl", ["kustomize", path], { maxBuffer: 16 * 1024 * 1024 }));
  } catch (error) {
    if (error.code === "ENOENT") throw new Error("kubectl is not installed (needed: kubectl kustomize)");
    throw new Error(`kubectl kustomize ${dir} failed: ${error.stderr || error.message}`);
  }
  return parseObjects(stdout, dir);
}

export function parseObjects(text, source) {
  const objects = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value !== null) objects.push(value);
  }
  return objects;
}

/** Renders each directory once per test file, whichever test asks first. */
export function kustomizeCache() {
  const cache = new Map();
  return (dir) => {
    if (!cache.has(dir)) cache.set(dir, kustomize(dir));
    return cache.get(dir);
  };
}
