// The PR canary Applications for the cluster smoke test, made the way the ApplicationSet
// makes them: the real applications/pr-canaries rendered for pull requests and canary
// records (testlib/argocd.js, the same simulation the tests check). A kind cluster has no
// pull requests for the pullRequest generator to list, hence the simulation. The records
// hold the digests the smoke pushed to its local registry, which the kind node serves as
// ghcr.io. Three things differ from the dev cluster, and only these:
//   - the repository is the one under test and the trusted revision is the commit under
//     test (the AppProject's sourceRepos follows);
//   - store canaries get smoke/stable/store-dynamodb-local.yaml (DynamoDB Local), the
//     same patch the stable store gets.
//
//   node smoke/pr-applications.js --repo-url <url> --revision <sha> \
//     --digest api-service=sha256:<64 hex> --digest store-service=sha256:<64 hex> \
//     --pr 1:api-service,store-service [--pr 2:api-service]
//
// Prints the AppProject canary-demo-pr and the Applications as YAML.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { reconcileApplicationSet } from "../testlib/argocd.js";
import { CANARY_LABEL, scm, stateFiles } from "../testlib/canary-fixtures.js";
import { kustomize } from "../testlib/kustomize.js";
import { manifestsDir, placeholders } from "../testlib/layout.js";
import { only } from "../testlib/objects.js";

export const storePatch = readFileSync(join(manifestsDir, "smoke/stable/store-dynamodb-local.yaml"), "utf8");

export async function smokeObjects({ repoURL, revision, digests, prs }) {
  if (!/^[0-9a-f]{40}$/.test(revision)) throw new Error(`--revision must be a full commit SHA, not '${revision}'`);
  for (const service of new Set(prs.flatMap((pr) => pr.services))) {
    if (!/^sha256:[0-9a-f]{64}$/.test(digests[service] ?? "")) throw new Error(`--digest ${service}=sha256:<64 hex> is missing`);
  }
  const applicationSet = only(await kustomize("manifests-microservices/applications/pr-canaries"), "ApplicationSet", "canary-demo-pr");
  const project = only(await kustomize("manifests-microservices/applications/projects"), "AppProject", "canary-demo-pr");
  const pullRequests = prs.map(({ number }) => ({
    number, headSha: revision, branch: `smoke-${number}`, targetBranch: "main", title: "smoke", author: "smoke", labels: [CANARY_LABEL],
  }));
  const state = stateFiles(prs.flatMap(({ number, services }) =>
    services.map((service) => ({ pr: number, service, commit: revision, digest: digests[service] }))));
  const { applications: desired, errors } = reconcileApplicationSet(applicationSet, scm(pullRequests, state));
  if (errors.size > 0) throw new Error(`the ApplicationSet keeps out ${[...errors.keys()].join(", ")}`);
  const applications = desired.map((application) => {
    const { source } = application.spec;
    if (source.repoURL !== placeholders.repoURL) throw new Error(`unexpected repoURL ${source.repoURL}`);
    source.repoURL = repoURL;
    source.targetRevision = revision;
    if (application.metadata.labels["canary-demo/service"] === "store-service") {
      source.kustomize.patches.push({ target: { kind: "Deployment" }, patch: storePatch });
    }
    return application;
  });
  project.spec.sourceRepos = [repoURL];
  return [project, ...applications];
}

function parseArgs(args) {
  const value = (name) => args[args.indexOf(`--${name}`) + 1];
  const prs = args.flatMap((arg, i) => (arg === "--pr" ? [args[i + 1]] : [])).map((spec) => {
    const [number, list] = spec.split(":");
    if (!/^[1-9][0-9]*$/.test(number) || !list) throw new Error(`--pr ${spec}: expected <number>:<service>[,<service>]`);
    return { number: Number(number), services: list.split(",") };
  });
  const digests = Object.fromEntries(args.flatMap((arg, i) => (arg === "--digest" ? [args[i + 1].split("=", 2)] : [])));
  if (!args.includes("--repo-url") || !args.includes("--revision") || prs.length === 0) {
    throw new Error("usage: pr-applications.js --repo-url <url> --revision <sha> --digest <service>=<digest>... --pr <n>:<services> [--pr ...]");
  }
  return { repoURL: value("repo-url"), revision: value("revision"), digests, prs };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const objects = await smokeObjects(parseArgs(process.argv.slice(2)));
    process.stdout.write(objects.map((o) => stringify(o)).join("---\n"));
  } catch (error) {
    console.error(`pr-applications.js: ${error.message}`);
    process.exitCode = 1;
  }
}
