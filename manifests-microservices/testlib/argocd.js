// What Argo CD does with our ApplicationSet, reproduced for the generators and
// options we use: generator parameters (pullRequest, git files, list, matrix with the
// second child interpolated from the first), Go-template rendering of the Application
// template and of the templatePatch (a strategic merge into each Application), the
// validation that keeps an Application out of the cluster, one reconcile (what is
// created, updated, kept or deleted, and when the whole reconcile stops), and the build
// of each Application's source, where Argo CD edits the kustomization at the source path
// in its checkout of targetRevision (`kustomize edit set nameprefix/namesuffix/image`,
// appended patches and components) and then builds it. Anything else fails loudly
// instead of being silently ignored.
//
// Sources (argoproj/argo-cd v3.5.1): applicationset/generators/pull_request.go and
// applicationset/services/pull_request/github.go (parameters, open PRs only, labels
// filter), git.go (generateParamsForGitFiles, generateParamsFromGitFile: each file is one
// object, or an array of objects, else the generator fails), matrix.go and
// generator_spec_processor.go (interpolation, merge order), reposerver GetGitFiles /
// util/git LsFiles (pattern matching), applicationset/controllers/template/template.go
// (GenerateApplications: any generator or render error fails them all) and patch.go
// (applyTemplatePatch), applicationset_controller.go (Reconcile: an error stops before
// any change; validateGeneratedApplications: duplicate names, missing project, invalid
// destination keep that Application out; createOrUpdateInCluster: a failed write stops
// the deletions; deleteInCluster: what is no longer generated goes). kustomize v5.5.0:
// kustomize/commands/edit/set/setimage.go (parse, RunSetImage).
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { parse, stringify } from "yaml";
import { renderDeep, renderGoTemplate } from "./go-template.js";
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

/**
 * git ls-files pathspec matching without magic (git dir.c match_pathspec_item): a pattern
 * with a wildcard matches by fnmatch without FNM_PATHNAME, so `*` and `?` also match `/`; a
 * literal one matches that path or, as a leading directory, every path under it.
 */
function pathspec(pattern) {
  if (/\*\*|[[\\]/.test(pattern)) throw new Error(`git files pattern ${pattern}: only * and ? are simulated`);
  const source = pattern.replace(/[.+^${}()|]/g, "\\$&");
  if (!/[*?]/.test(pattern)) return new RegExp(`^${source}(/.*)?$`);
  return new RegExp(`^${source.replaceAll("*", ".*").replaceAll("?", ".")}$`);
}

/**
 * The objects of one file, as generateParamsFromGitFile reads it (sigs.k8s.io/yaml, YAML
 * 1.1): a mapping (an empty file or null counts as an empty one) is one object; an array
 * of mappings (or nulls) is one object each; anything else fails the whole generator.
 */
export function gitFileObjects(path, text) {
  let content;
  try {
    content = parse(text, { version: "1.1" });
  } catch (error) {
    throw new Error(`git generator: unable to process file '${path}': ${error.message}`);
  }
  const isObject = (value) => value === null || value === undefined || (typeof value === "object" && !Array.isArray(value));
  if (isObject(content)) return [content ?? {}];
  if (Array.isArray(content) && content.every(isObject)) return content.map((item) => item ?? {});
  throw new Error(`git generator: unable to process file '${path}': not an object or an array of objects`);
}

/** The git files generator: one parameter set per object of each matching file (Go template mode). */
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
    return gitFileObjects(path, tree[path]).map((object) => {
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
  onlyKeys(spec, ["goTemplate", "goTemplateOptions", "generators", "template", "templatePatch"], "spec");
  const options = spec.goTemplateOptions ?? [];
  return spec.generators
    .flatMap((generator) => generatorParams(generator, scm, options))
    .map((params) => {
      const rendered = renderDeep(spec.template, params, options);
      let application = { metadata: rendered.metadata, spec: rendered.spec };
      if (spec.templatePatch) application = applyTemplatePatch(application, renderGoTemplate(spec.templatePatch, params, options));
      return {
        apiVersion: "argoproj.io/v1alpha1",
        kind: "Application",
        metadata: { ...application.metadata, namespace: metadata.namespace },
        spec: application.spec,
      };
    });
}

/**
 * patch.go applyTemplatePatch: the rendered patch (YAML, or JSON when it starts with "{")
 * merged into the Application as a strategic merge patch, then the project put back. For
 * the Application type that merge is: mappings merge key by key, null deletes, lists and
 * scalars replace; fields with their own merge strategy are refused.
 */
export function applyTemplatePatch(application, patchText) {
  const patch = parse(patchText);
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) throw new Error(`templatePatch is not a mapping: ${patchText}`);
  const merge = (target, change, path) => {
    const result = { ...target };
    for (const [key, value] of Object.entries(change)) {
      const where = `${path}/${key}`;
      if (key.startsWith("$")) throw new Error(`templatePatch directive ${where} is not simulated`);
      if (["/metadata/finalizers", "/metadata/ownerReferences", "/metadata/managedFields"].includes(where)) {
        throw new Error(`templatePatch of ${where} (its own merge strategy) is not simulated`);
      }
      if (value === null) delete result[key];
      else if (typeof value === "object" && !Array.isArray(value) && typeof result[key] === "object" && result[key] !== null && !Array.isArray(result[key])) {
        result[key] = merge(result[key], value, where);
      } else {
        result[key] = structuredClone(value);
      }
    }
    return result;
  };
  const patched = merge(application, patch, "");
  patched.spec = { ...patched.spec, project: application.spec.project };
  return patched;
}

/** Argo CD's view of where Applications may go: the AppProjects and the registered cluster names. */
export const defaultArgoCD = Object.freeze({ projects: ["canary-demo", "canary-demo-pr"], clusters: ["production", "staging", "dev"] });

/**
 * validateGeneratedApplications: name -> why it stays out of the cluster. A name generated
 * twice keeps every Application of that name out; so does a project that does not exist
 * or a destination that names no single registered cluster (or both a name and a server).
 */
export function validateApplications(applications, argocd = defaultArgoCD) {
  const errors = new Map();
  const seen = new Set();
  for (const application of applications) {
    const { name } = application.metadata;
    const { project, destination = {} } = application.spec;
    if (seen.has(name)) {
      errors.set(name, `contains applications with duplicate name: ${name}`);
      continue;
    }
    seen.add(name);
    if (!argocd.projects.includes(project)) errors.set(name, `application references project ${project} which does not exist`);
    else if (destination.name && destination.server) errors.set(name, "application destination can't have both name and server defined");
    else if (destination.server) errors.set(name, "destinations by server are not simulated");
    else if (!destination.name) errors.set(name, "Destination server missing from app spec");
    else if (!argocd.clusters.includes(destination.name)) errors.set(name, `there are no clusters with this name: ${destination.name}`);
  }
  return errors;
}

const dnsSubdomain = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelValue = /^(?=.{0,63}$)(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** What the Kubernetes API would refuse in an Application's metadata. */
function apiProblems(application) {
  const { name, labels = {} } = application.metadata;
  const problems = [];
  if (!dnsSubdomain.test(name)) problems.push(`metadata.name ${JSON.stringify(name)} is not a DNS subdomain`);
  for (const [key, value] of Object.entries(labels)) {
    if (!labelValue.test(value)) problems.push(`label ${key}=${JSON.stringify(value)} is not a label value`);
  }
  return problems;
}

/**
 * One reconcile of the ApplicationSet, from the Applications it owns now (`current`):
 * { applications (what it owns afterwards, by name), generated, errors (name -> why kept
 * out), stopped (the error that stopped the reconcile before it changed anything, or
 * before its deletions) }.
 */
export function reconcileApplicationSet(applicationSet, scm, { current = [], argocd = defaultArgoCD } = {}) {
  let generated;
  try {
    generated = generateApplications(applicationSet, scm);
  } catch (error) {
    if (/not simulated/.test(error.message)) throw error;
    return { applications: current, generated: [], errors: new Map(), stopped: error.message };
  }
  const errors = validateApplications(generated, argocd);
  const byName = new Map(current.map((app) => [app.metadata.name, app]));
  const refused = [];
  for (const application of generated.filter((app) => !errors.has(app.metadata.name))) {
    const problems = apiProblems(application);
    if (problems.length > 0) refused.push(...problems);
    else byName.set(application.metadata.name, application);
  }
  if (refused.length > 0) return { applications: [...byName.values()], generated, errors, stopped: refused.join("; ") };
  const names = new Set(generated.map((app) => app.metadata.name));
  return { applications: [...byName.values()].filter((app) => names.has(app.metadata.name)), generated, errors, stopped: undefined };
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

/**
 * `kustomize edit set image <arg>` (setimage.go): the argument splits at its first "=" into
 * the entry's name and the new image; the image splits into name, tag and digest
 * (image.Split); an argument with neither "=" nor a tag or digest is refused; the new entry
 * replaces the entry of the same name whole.
 */
export function setImage(kustomization, argument) {
  if (argument.includes("$")) throw new Error(`environment substitution in ${argument} is not simulated`);
  const separator = argument.indexOf("=");
  const [key, value] = separator >= 0 ? [argument.slice(0, separator), argument.slice(separator + 1)] : [undefined, argument];
  const { name, tag, digest } = splitImage(value);
  if (name === argument) throw new Error(`kustomize edit set image ${argument}: invalid format of image`);
  if ([name, tag, digest].includes("*")) throw new Error(`kustomize's * (keep the old value) in ${argument} is not simulated`);
  const entry = key === undefined ? { name } : { name: key, newName: name };
  if (tag) entry.newTag = tag;
  if (digest) entry.digest = digest;
  const images = (kustomization.images ?? []).filter((image) => image.name !== entry.name);
  kustomization.images = [...images, entry].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** kustomize's image.Split: name, tag and digest of an image reference, a registry port left alone. */
function splitImage(image) {
  const slash = image.indexOf("/");
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  const at = search.indexOf("@");
  const colon = search.indexOf(":");
  if (colon < 0 && at < 0) return { name: image, tag: "", digest: "" };
  if (at >= 0 && (at < colon || colon < 0)) return { name: image.slice(0, offset + at), tag: "", digest: image.slice(offset + at + 1) };
  if (at >= 0 && colon >= 0) return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1, offset + at), digest: image.slice(offset + at + 1) };
  return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1), digest: "" };
}
