// What Argo CD does with our ApplicationSet, reproduced for the generators and
// options we use: generator parameters (pullRequest, git files, list, matrix with the
// second child interpolated from the first), Go-template rendering of the Application
// template, and the build of each Application's source, where Argo CD edits the
// kustomization at the source path in its checkout of targetRevision (`kustomize edit
// set nameprefix/namesuffix/image`, appended patches and components) and then builds
// it. Anything else fails loudly instead of being silently ignored.
//
// Sources (argoproj/argo-cd): applicationset/generators/pull_request.go and
// applicationset/services/pull_request/github.go (parameters, open PRs only, labels
// filter), git.go (files generator parameters), matrix.go and
// generator_spec_processor.go (interpolation, merge order), reposerver
// GetGitFiles / util/git LsFiles (pattern matching).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { renderDeep } from "./go-template.js";
import { kustomizationFile, manifestsDir } from "./layout.js";
import { kustomize } from "./kustomize.js";

/** Throws on keys of a generator spec this simulation does not reproduce. */
function onlyKeys(object, allowed, where) {
  for (const key of Object.keys(object ?? {})) {
    if (!allowed.includes(key)) throw new Error(`${where}.${key} is not simulated`);
  }
}

/** A property that exists (as Argo CD sets it) but fails when used, because it is not reproduced. */
function unsimulated(params, keys, why) {
  for (const key of keys) {
    Object.defineProperty(params, key, {
      enumerable: true,
      get() {
        throw new Error(`${key} is not simulated (${why})`);
      },
    });
  }
  return params;
}

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
    labels: pr.labels ?? [],
  };
  return unsimulated(params, ["branch_slug", "target_branch_slug"], "gosimple/slug");
}

/**
 * What the GitHub API lists for the generator: open pull requests only (the list call's
 * default state), and only those carrying every label of `labels`. Drafts and forks are
 * listed like any other pull request: the generator has no filter for them.
 */
function listPullRequests(spec, scm) {
  onlyKeys(spec, ["github", "requeueAfterSeconds"], "pullRequest");
  onlyKeys(spec.github, ["owner", "repo", "tokenRef", "labels"], "pullRequest.github");
  if (!spec.github?.owner || !spec.github?.repo) throw new Error("only the GitHub pullRequest generator is simulated");
  const required = spec.github.labels ?? [];
  return scm.pullRequests
    .filter((pr) => (pr.state ?? "open") === "open")
    .filter((pr) => required.every((label) => (pr.labels ?? []).includes(label)))
    .map(pullRequestParams);
}

/** git ls-files pathspec matching without magic: `*` and `?` also match `/`. */
function pathspec(pattern) {
  if (!pattern.includes("*")) throw new Error(`git files pattern ${pattern} without a wildcard is not simulated`);
  if (/\*\*|[[\\]/.test(pattern)) throw new Error(`git files pattern ${pattern}: only * and ? are simulated`);
  const source = pattern.replace(/[.+^${}()|]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".");
  return new RegExp(`^${source}$`);
}

/** The git files generator: one parameter set per matching file (Go template mode). */
function gitFilesParams(spec, scm) {
  onlyKeys(spec, ["repoURL", "revision", "files", "requeueAfterSeconds"], "git");
  if (!spec.files) throw new Error("only the git files generator is simulated");
  const tree = scm.gitFiles?.[spec.repoURL]?.[spec.revision];
  if (!tree) throw new Error(`git generator: unable to resolve ${spec.repoURL} at ${spec.revision}`);
  const matched = new Set();
  for (const file of spec.files) {
    onlyKeys(file, ["path"], "git.files[]");
    const regexp = pathspec(file.path);
    for (const path of Object.keys(tree)) if (regexp.test(path)) matched.add(path);
  }
  return [...matched].sort().flatMap((path) => {
    const content = parse(tree[path]) ?? {};
    return [content].flat().map((object) => {
      const directory = dirname(path);
      return {
        ...object,
        path: unsimulated({
          path: directory,
          basename: basename(directory),
          filename: basename(path),
          segments: directory.split("/"),
        }, ["basenameNormalized", "filenameNormalized"], "utils.SanitizeName"),
      };
    });
  });
}

function generatorParams(generator, scm, options) {
  const kinds = Object.keys(generator);
  if (kinds.length !== 1) throw new Error(`generator with ${kinds.join(", ")} is not simulated`);
  const [kind] = kinds;
  const spec = generator[kind];
  if (spec.template && Object.keys(spec.template).length > 0) {
    throw new Error(`per-generator templates are not simulated (${kind})`);
  }
  switch (kind) {
    case "pullRequest":
      return listPullRequests(spec, scm);
    case "git":
      return gitFilesParams(spec, scm);
    case "list":
      if (JSON.stringify(spec.elements).includes("{{")) throw new Error("templated list elements are not simulated");
      return spec.elements.map((element) => ({ ...element }));
    case "matrix": {
      if (spec.generators?.length !== 2) throw new Error("a matrix generator has exactly two children");
      const [firstChild, secondChild] = spec.generators;
      const combined = [];
      for (const first of generatorParams(firstChild, scm, options)) {
        // The second child is rendered with each parameter set of the first.
        const interpolated = renderDeep(secondChild, first, options);
        for (const second of generatorParams(interpolated, scm, options)) {
          // Go template mode merges with override, the first child last: its values win.
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

/**
 * The Applications an ApplicationSet generates. `scm.pullRequests` is what the GitHub
 * API holds ({ number, headSha, labels, state, ... }); `scm.gitFiles[repoURL][revision]`
 * maps the paths of a revision to their text.
 */
export function generateApplications(applicationSet, scm) {
  const { spec, metadata } = applicationSet;
  if (spec.goTemplate !== true) throw new Error("only goTemplate ApplicationSets are simulated");
  if (spec.templatePatch) throw new Error("templatePatch is not simulated");
  const options = spec.goTemplateOptions ?? [];
  const applications = spec.generators
    .flatMap((generator) => generatorParams(generator, scm, options))
    .map((params) => {
      const rendered = renderDeep(spec.template, params, options);
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
 * The objects Argo CD deploys for an Application with a Kustomize source.
 * `checkouts[repoURL][revision]` is the directory holding the repository at that
 * revision; a revision without one fails, so a test sees which revision is rendered.
 */
export async function buildApplicationSource(application, checkouts) {
  const { source } = application.spec;
  if (!source?.path || application.spec.sources) throw new Error("only a single source with a path is simulated");
  const root = checkouts?.[source.repoURL]?.[source.targetRevision];
  if (!root) throw new Error(`no checkout of ${source.repoURL} at ${source.targetRevision}`);
  const checkout = mkdtempSync(join(tmpdir(), "argocd-checkout-"));
  try {
    const manifests = basename(manifestsDir);
    cpSync(join(root, manifests), join(checkout, manifests), {
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
