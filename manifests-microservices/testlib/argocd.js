// What Argo CD does with our ApplicationSet, reproduced for the generators and
// options we use: generator parameters (pullRequest, list, matrix), Go-template
// rendering of the Application template, and the build of each Application's
// source, where Argo CD edits the kustomization at the source path in its own
// checkout (`kustomize edit set nameprefix/namesuffix/image`, appended patches and
// components) and then builds it. Anything else fails loudly instead of being
// silently ignored.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { renderDeep } from "./go-template.js";
import { kustomizationFile, manifestsDir } from "./layout.js";
import { kustomize } from "./kustomize.js";

/** The parameters Argo CD's pullRequest generator yields for one pull request (Go template mode). */
export function pullRequestParams(pr) {
  const params = {
    number: String(pr.number),
    title: pr.title,
    branch: pr.branch,
    target_branch: pr.targetBranch,
    head_sha: pr.headSha,
    head_short_sha: pr.headSha.slice(0, 8),
    head_short_sha_7: pr.headSha.slice(0, 7),
    author: pr.author,
    labels: pr.labels,
  };
  // Argo CD slugifies with gosimple/slug; not reproduced, so using one fails here.
  for (const key of ["branch_slug", "target_branch_slug"]) {
    Object.defineProperty(params, key, {
      enumerable: true,
      get() {
        throw new Error(`${key} is not simulated`);
      },
    });
  }
  return params;
}

function generatorParams(generator, pullRequests) {
  const kinds = Object.keys(generator);
  if (kinds.length !== 1) throw new Error(`generator with ${kinds.join(", ")} is not simulated`);
  const [kind] = kinds;
  const spec = generator[kind];
  if (spec.template && Object.keys(spec.template).length > 0) {
    throw new Error(`per-generator templates are not simulated (${kind})`);
  }
  switch (kind) {
    case "pullRequest":
      if (!spec.github?.owner || !spec.github?.repo) throw new Error("only the GitHub pullRequest generator is simulated");
      return pullRequests.map(pullRequestParams);
    case "list":
      if (JSON.stringify(spec.elements).includes("{{")) throw new Error("templated list elements are not simulated");
      return spec.elements.map((element) => ({ ...element }));
    case "matrix": {
      if (spec.generators?.length !== 2) throw new Error("a matrix generator has exactly two children");
      const combined = [];
      for (const first of generatorParams(spec.generators[0], pullRequests)) {
        for (const second of generatorParams(spec.generators[1], pullRequests)) {
          // Go template mode merges without overriding: the first child's values win.
          combined.push(Object.defineProperties({}, {
            ...Object.getOwnPropertyDescriptors(second),
            ...Object.getOwnPropertyDescriptors(first),
          }));
        }
      }
      return combined;
    }
    default:
      throw new Error(`${kind} generator is not simulated`);
  }
}

/** The Applications an ApplicationSet generates when the SCM reports these open pull requests. */
export function generateApplications(applicationSet, pullRequests) {
  const { spec, metadata } = applicationSet;
  if (spec.goTemplate !== true) throw new Error("only goTemplate ApplicationSets are simulated");
  if (spec.templatePatch) throw new Error("templatePatch is not simulated");
  const applications = spec.generators
    .flatMap((generator) => generatorParams(generator, pullRequests))
    .map((params) => {
      const rendered = renderDeep(spec.template, params, spec.goTemplateOptions ?? []);
      return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { ...rendered.metadata, namespace: metadata.namespace },
        spec: rendered.spec,
      };
    });
  const names = applications.map((app) => app.metadata.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new Error(`ApplicationSet generates ${duplicate} twice`);
  return applications;
}

/**
 * The objects Argo CD deploys for an Application with a Kustomize source from this
 * repository: the working tree stands in for the checkout at targetRevision.
 */
export async function buildApplicationSource(application) {
  const { source } = application.spec;
  if (!source?.path || application.spec.sources) throw new Error("only a single source with a path is simulated");
  const checkout = mkdtempSync(join(tmpdir(), "argocd-checkout-"));
  try {
    cpSync(manifestsDir, join(checkout, basename(manifestsDir)), {
      recursive: true,
      filter: (path) => basename(path) !== "node_modules",
    });
    const appDir = join(checkout, source.path);
    if (!resolve(appDir).startsWith(checkout)) throw new Error(`${source.path} leaves the repository`);
    const file = kustomizationFile(appDir);
    if (!file) throw new Error(`${source.path} has no kustomization`);
    if (source.kustomize) applyKustomizeOptions(file, appDir, source.kustomize);
    return await kustomize(appDir);
  } finally {
    rmSync(checkout, { recursive: true, force: true });
  }
}

function applyKustomizeOptions(file, appDir, options) {
  const kustomization = parse(readFileSync(file, "utf8"));
  for (const [option, value] of Object.entries(options)) {
    switch (option) {
      case "namePrefix":
        kustomization.namePrefix = value;
        break;
      case "nameSuffix":
        kustomization.nameSuffix = value;
        break;
      case "images":
        for (const image of value) setImage(kustomization, image);
        break;
      case "patches":
        kustomization.patches = [...(kustomization.patches ?? []), ...value];
        break;
      case "components":
        for (const component of value) {
          if (!existsSync(join(appDir, component))) throw new Error(`component ${component} does not exist`);
        }
        kustomization.components = [...(kustomization.components ?? []), ...value];
        break;
      default:
        throw new Error(`spec.source.kustomize.${option} is not simulated`);
    }
  }
  writeFileSync(file, stringify(kustomization));
}

/** `kustomize edit set image`: [name=]newName[:tag|@digest], upserted by name. */
export function setImage(kustomization, argument) {
  if (argument.includes("$")) throw new Error(`environment substitution in ${argument} is not simulated`);
  const [name, reference] = argument.includes("=") ? argument.split("=", 2) : [undefined, argument];
  let newName = reference;
  let newTag;
  let digest;
  const at = reference.indexOf("@");
  if (at >= 0) {
    newName = reference.slice(0, at);
    digest = reference.slice(at + 1);
  } else {
    const colon = reference.lastIndexOf(":");
    if (colon > reference.lastIndexOf("/")) {
      newName = reference.slice(0, colon);
      newTag = reference.slice(colon + 1);
    }
  }
  const key = name ?? newName;
  const images = (kustomization.images ??= []);
  let entry = images.find((image) => image.name === key);
  if (!entry) {
    entry = { name: key };
    images.push(entry);
  }
  if (name !== undefined) entry.newName = newName;
  if (newTag !== undefined) {
    entry.newTag = newTag;
    delete entry.digest;
  }
  if (digest !== undefined) {
    entry.digest = digest;
    delete entry.newTag;
  }
}
