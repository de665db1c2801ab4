// The routing of the local stack's two proxies (tools/LocalProxy), generated from the
// manifests the dev cluster runs: the stable integration-001 overlays plus the PR canaries and
// preview hosts the ApplicationSets would create (rendered through testlib/argocd.js, the tested
// simulation), so local routing follows the cluster's rules and a change to them shows
// locally. The working tree stands in for the default branch, as in the tests.
//
//   node local/proxy-routes.js --pr 42:api-service,store-service [--pr 7:api-service] \
//     --backend api-service=http://127.0.0.1:P --backend api-service-pr-42=http://127.0.0.1:Q ...
//
// prints the routing file (JSON): for each proxy the routes in the order it tries them, each
// with the conditions a request must meet and the local address of the Service it names.
//
// Edge (Traefik v3 IngressRoute; github.com/traefik/traefik, pkg/muxer/http/mux.go and
// matcher.go, pkg/server/router/router.go): routes are tried by priority, highest first; a
// route without one has the length of its rule. Routes of equal priority are sorted by
// sort.Sort, which leaves their order unspecified; here they are ordered by namespace/name.
// Header(`name`, `value`) holds when one of the request's field lines of that header equals the
// value exactly (no splitting at commas); Host compares the host case-insensitively, port
// ignored. The local edge stands in for the dev cluster's API host and the names under it (its
// wildcard DNS): a request to <label>.localhost stands for <label>.<dev host>, so a PR's preview
// host pr-<n>.<dev host> is pr-<n>.localhost (curl and browsers resolve *.localhost to
// loopback), and every other name (127.0.0.1, localhost) stands for the dev host itself. A
// route for any other host never matches locally.
//
// East-west (Linkerd GRPCRoute; github.com/linkerd/linkerd2-proxy, linkerd/http/route/src/lib.rs
// and grpc/match.rs; github.com/linkerd/linkerd2, policy-controller/grpc/src/outbound.rs): the
// routes attached to the Service callers dial, sorted by creation time then name (all created
// at once here, so by name); the best match wins, compared by the characters of the matched
// service, then of the method, then the number of header matches; on a tie the first route
// and rule. A match names its RPC (a match without one is refused by the proxy, MissingRpc),
// holds only for POST, compares service and method exactly and headers like Traefik. A rule
// without matches matches every request. No route matching is a NOT_FOUND answer
// (linkerd/app/outbound/src/http/server.rs, NoRoute), never a fallback to the Service.
//
// HeaderRegexp holds when one field line matches the pattern (matcher.go, headerRegexp). The PR
// gate (an ipAllowList Middleware) is named on its routes but not applied: the local edge has
// loopback callers only. A route behind an allow-list that admits no address forwards nothing
// (Traefik answers everyone 404 "Not Found"), so it is left out: the local edge answers such a
// request 404 too, as it answers any request no route takes. A headers Middleware's
// customRequestHeaders are set on the request, replacing every value the client sent
// (pkg/middlewares/headers/header.go, modifyCustomRequestHeaders: Header.Set). Anything else in the routes this does not reproduce
// (other matchers, ||, !, other middlewares or header options, filters, weights, several
// backends) makes it fail instead of routing otherwise.
import { pathToFileURL } from "node:url";
import { buildApplicationSource, generateApplications } from "../testlib/argocd.js";
import { CANARY_LABEL, scm, stateFiles, trustedCheckouts } from "../testlib/canary-fixtures.js";
import { kustomize } from "../testlib/kustomize.js";
import { overlayPath, placeholders, services } from "../testlib/layout.js";
import { ofKind, only, routePriority } from "../testlib/objects.js";

/** The Service and port every api-service dials; the GRPCRoutes attached to it are the mesh routes. */
export const dialedStore = Object.freeze({ name: "store-service", port: 8080 });

/** The Traefik entry point the IngressRoutes serve, which the local edge stands in for. */
export const edgeEntryPoint = "websecure";

/** The local name of the dev host's wildcard: <label>.localhost stands for <label>.<dev host>. */
export const localDomain = "localhost";

/**
 * The routing objects of the dev cluster with these PR canaries: the stable integration-001
 * overlays and each PR's Applications (its canaries and its preview host) as the
 * ApplicationSets generate them and Argo CD renders them.
 * @param {{ number: number, services: string[] }[]} prs
 */
export async function renderRoutingObjects(prs) {
  const objects = [];
  for (const service of services) objects.push(...(await kustomize(overlayPath(service, "integration-001"))));
  if (prs.length === 0) return objects;
  const applicationSets = ofKind(await kustomize("manifests-microservices/applications/pr-canaries"), "ApplicationSet");
  const commit = (number) => String(number).padStart(40, "0");
  const pullRequests = prs.map(({ number }) => ({
    number, headSha: commit(number), branch: `local-${number}`, targetBranch: "main", title: "local", author: "local", labels: [CANARY_LABEL],
  }));
  const state = stateFiles(prs.flatMap(({ number, services: changed }) => changed.map((service) => ({ pr: number, service, commit: commit(number) }))));
  for (const application of applicationSets.flatMap((applicationSet) => generateApplications(applicationSet, scm(pullRequests, state)))) {
    objects.push(...(await buildApplicationSource(application, trustedCheckouts())));
  }
  return objects;
}

const qualified = (object) => `${object.metadata.namespace ?? "default"}/${object.metadata.name}`;

function destinationOf(destinations, service, where) {
  const url = destinations[service];
  if (!url) throw new Error(`${where}: no local address for Service ${service} (give --backend ${service}=<url>)`);
  return url;
}

function onlyKeys(object, allowed, where) {
  for (const key of Object.keys(object ?? {})) {
    if (!allowed.includes(key)) throw new Error(`${where}: ${key} is not reproduced locally`);
  }
}

/**
 * A Traefik v3 rule as a conjunction of the matchers the local edge reproduces.
 * @returns {{ host?: string, method?: string, path?: string, pathPrefix?: string, headers: { name: string, value: string }[] }}
 */
export function parseTraefikRule(rule) {
  const conditions = { headers: [] };
  const matcher = /^\s*([A-Za-z]+)\(\s*((?:`[^`]*`|"(?:[^"\\]|\\.)*")(?:\s*,\s*(?:`[^`]*`|"(?:[^"\\]|\\.)*"))*)\s*\)\s*/;
  let rest = rule;
  for (;;) {
    const found = matcher.exec(rest);
    if (!found) throw new Error(`rule ${rule}: not reproduced locally (only matchers joined by &&)`);
    const [, name, list] = found;
    const args = [...list.matchAll(/`([^`]*)`|"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? JSON.parse(`"${m[2]}"`));
    const expect = (count) => {
      if (args.length !== count) throw new Error(`rule ${rule}: ${name} takes ${count} argument(s)`);
    };
    switch (name) {
      case "Host": expect(1); conditions.host = args[0].toLowerCase(); break;
      case "Method": expect(1); conditions.method = args[0].toUpperCase(); break;
      case "Path": expect(1); conditions.path = args[0]; break;
      case "PathPrefix": expect(1); conditions.pathPrefix = args[0]; break;
      case "Header": expect(2); conditions.headers.push({ name: args[0], value: args[1] }); break;
      // Go's RE2; the patterns the manifests use mean the same in .NET, which the local edge uses.
      case "HeaderRegexp": expect(2); (conditions.headerPatterns ??= []).push({ name: args[0], pattern: args[1] }); break;
      default: throw new Error(`rule ${rule}: ${name} is not reproduced locally`);
    }
    rest = rest.slice(found[0].length);
    if (rest === "") return conditions;
    if (!rest.startsWith("&&")) throw new Error(`rule ${rule}: not reproduced locally (only matchers joined by &&)`);
    rest = rest.slice(2);
  }
}

/** The unspecified addresses, which no TCP peer has: an allow-list of only these admits nobody. */
const unspecifiedAddresses = ["0.0.0.0/32", "::/128"];

/**
 * A route's middleware, of the same render and namespace, as the local edge reproduces it:
 * - the PR gate, an ipAllowList Middleware: { gate }. The local edge listens on loopback only, so
 *   its callers are this machine; it names the gate on the route and does not apply it (the gate
 *   limits networks, the office and VPN ranges, and has nothing to decide between local callers);
 * - an ipAllowList of unspecified addresses only, which admits nobody: { closed };
 * - a headers Middleware with customRequestHeaders only, each a non-empty value for a header
 *   other than Host: { requestHeaders }, set on the request (an empty value, which Traefik
 *   reads as "delete", and Host, which it writes to the request's host, are not reproduced).
 * Any other middleware is an error.
 */
function middlewareOf(objects, ingressRoute, reference, where) {
  onlyKeys(reference, ["name"], where);
  const middleware = objects.find((o) => o.kind === "Middleware" && o.metadata.name === reference.name
    && o.metadata.namespace === ingressRoute.metadata.namespace);
  if (!middleware) throw new Error(`${where}: middleware ${reference.name} does not exist (Traefik would not serve the route)`);
  const what = `Middleware ${reference.name}`;
  onlyKeys(middleware.spec, ["ipAllowList", "headers"], what);
  if (Object.keys(middleware.spec).length !== 1) throw new Error(`${what}: one kind of middleware per Middleware is reproduced locally`);
  if (middleware.spec.ipAllowList) {
    const ranges = middleware.spec.ipAllowList.sourceRange ?? [];
    return ranges.every((range) => unspecifiedAddresses.includes(range)) ? { closed: reference.name } : { gate: reference.name };
  }
  onlyKeys(middleware.spec.headers, ["customRequestHeaders"], `${what} headers`);
  const requestHeaders = middleware.spec.headers.customRequestHeaders ?? {};
  for (const [name, value] of Object.entries(requestHeaders)) {
    if (typeof value !== "string" || value === "" || /^host$/i.test(name)) {
      throw new Error(`${what}: customRequestHeaders ${name}: ${JSON.stringify(value)} is not reproduced locally`);
    }
  }
  return { requestHeaders };
}

/** Whether the local edge serves a cluster host: the dev host and the names under it. */
const servedLocally = (clusterHost, devHost) => clusterHost === devHost || clusterHost.endsWith(`.${devHost}`);

/**
 * The local edge's routes, in the order Traefik tries them. A route's host condition is the
 * cluster host of its rule; the local edge tells which one a request names (RoutingFile.cs).
 * @param {object[]} objects rendered manifests
 * @param {{ host: string, destinations: Record<string, string> }} options
 */
export function edgeRoutes(objects, { host, destinations }) {
  const routes = [];
  const devHost = host.toLowerCase();
  for (const ingressRoute of ofKind(objects, "IngressRoute")) {
    onlyKeys(ingressRoute.spec, ["entryPoints", "routes", "tls"], qualified(ingressRoute));
    if (ingressRoute.spec.entryPoints && !ingressRoute.spec.entryPoints.includes(edgeEntryPoint)) continue;
    ingressRoute.spec.routes.forEach((route, index) => {
      const name = `${qualified(ingressRoute)} route ${index}`;
      onlyKeys(route, ["kind", "match", "priority", "services", "middlewares"], name);
      const middlewares = (route.middlewares ?? []).map((reference) => middlewareOf(objects, ingressRoute, reference, name));
      // Closed to every address: it never forwards a request.
      if (middlewares.some((middleware) => middleware.closed)) return;
      const gates = middlewares.flatMap((middleware) => (middleware.gate ? [middleware.gate] : []));
      const requestHeaders = Object.assign({}, ...middlewares.map((middleware) => middleware.requestHeaders ?? {}));
      if (route.services?.length !== 1) throw new Error(`${name}: exactly one service is reproduced locally`);
      const [service] = route.services;
      onlyKeys(service, ["kind", "name", "port"], name);
      if ((service.kind ?? "Service") !== "Service") throw new Error(`${name}: ${service.kind} services are not reproduced locally`);
      const match = parseTraefikRule(route.match);
      // A route for a host the local edge does not stand for never matches a request to it.
      if (match.host !== undefined && !servedLocally(match.host, devHost)) return;
      routes.push({
        name,
        rule: route.match,
        priority: routePriority(route),
        match,
        service: service.name,
        destination: destinationOf(destinations, service.name, name),
        ...(gates.length ? { gates } : {}),
        ...(Object.keys(requestHeaders).length ? { requestHeaders } : {}),
      });
    });
  }
  return routes.sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The summary Linkerd compares matches by: characters of service, of method, number of headers. */
const summary = (match) => [match.grpc?.service?.length ?? 0, match.grpc?.method?.length ?? 0, match.headers?.length ?? 0];

function grpcMatch(match, where) {
  onlyKeys(match, ["method", "headers"], where);
  if (!match.method) throw new Error(`${where}: a match without method is refused by released Linkerd proxies (MissingRpc)`);
  onlyKeys(match.method, ["type", "service", "method"], where);
  if ((match.method.type ?? "Exact") !== "Exact") throw new Error(`${where}: method type ${match.method.type} is not reproduced locally`);
  const headers = (match.headers ?? []).map((header) => {
    onlyKeys(header, ["type", "name", "value"], where);
    if ((header.type ?? "Exact") !== "Exact") throw new Error(`${where}: header type ${header.type} is not reproduced locally`);
    return { name: header.name, value: header.value };
  });
  return { grpc: { service: match.method.service ?? null, method: match.method.method ?? null }, headers };
}

/**
 * The local east-west proxy's routes, in the order of Linkerd's precedence; a rule without
 * matches has match null (every request).
 * @param {object[]} objects rendered manifests
 * @param {{ destinations: Record<string, string> }} options
 */
export function eastWestRoutes(objects, { destinations }) {
  const attached = ofKind(objects, "GRPCRoute")
    .filter((route) => route.spec.parentRefs?.some((parent) =>
      (parent.kind ?? "Gateway") === "Service" && (parent.group ?? "") === "" && parent.name === dialedStore.name
      && (parent.port === undefined || parent.port === dialedStore.port)))
    .sort((a, b) => (qualified(a) < qualified(b) ? -1 : qualified(a) > qualified(b) ? 1 : 0));
  const candidates = [];
  for (const grpcRoute of attached) {
    onlyKeys(grpcRoute.spec, ["parentRefs", "rules"], qualified(grpcRoute));
    grpcRoute.spec.rules.forEach((rule, index) => {
      const name = `${qualified(grpcRoute)} rule ${index}`;
      onlyKeys(rule, ["matches", "backendRefs"], name);
      if (rule.backendRefs?.length !== 1) throw new Error(`${name}: exactly one backendRef is reproduced locally`);
      const [backend] = rule.backendRefs;
      onlyKeys(backend, ["name", "port", "weight", "group", "kind"], name);
      if ((backend.kind ?? "Service") !== "Service" || (backend.weight ?? 1) < 1) throw new Error(`${name}: only a Service backend with weight is reproduced locally`);
      const destination = destinationOf(destinations, backend.name, name);
      const matches = rule.matches?.length ? rule.matches.map((match) => grpcMatch(match, name)) : [null];
      for (const match of matches) candidates.push({ name, match, service: backend.name, destination });
    });
  }
  // Best summary first; Array.prototype.sort is stable, so ties keep route and rule order.
  const rank = (route) => (route.match === null ? [0, 0, 0] : summary(route.match));
  return candidates.sort((a, b) => {
    const [x, y] = [rank(a), rank(b)];
    return y[0] - x[0] || y[1] - x[1] || y[2] - x[2];
  });
}

/**
 * @param {{ prs: { number: number, services: string[] }[], destinations: Record<string, string> }} options
 */
export async function routingFile({ prs, destinations }) {
  const objects = await renderRoutingObjects(prs);
  return {
    description: "Generated by manifests-microservices/local/proxy-routes.js from the rendered manifests; routes in the order each proxy tries them.",
    host: placeholders.devHost,
    localDomain,
    edge: edgeRoutes(objects, { host: placeholders.devHost, destinations }),
    eastWest: eastWestRoutes(objects, { destinations }),
  };
}

/** `--pr 42` (both services), `--pr 42:api-service[,store-service]`. */
export function parsePr(spec) {
  const [number, list] = spec.split(":");
  if (!/^[1-9][0-9]{0,8}$/.test(number)) throw new Error(`--pr ${spec}: expected a PR number, optionally :<service>[,<service>]`);
  const chosen = list === undefined ? [...services] : list.split(",");
  for (const service of chosen) {
    if (!services.includes(service)) throw new Error(`--pr ${spec}: unknown service ${service} (known: ${services.join(", ")})`);
  }
  return { number: Number(number), services: chosen };
}

function parseArgs(args) {
  const prs = [];
  const destinations = {};
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === "--pr") prs.push(parsePr(value));
    else if (flag === "--backend") {
      const at = value.indexOf("=");
      if (at < 1) throw new Error(`--backend ${value}: expected <Service>=<url>`);
      destinations[value.slice(0, at)] = value.slice(at + 1);
    } else throw new Error(`unknown argument ${flag}`);
  }
  const numbers = prs.map((pr) => pr.number);
  if (new Set(numbers).size !== numbers.length) throw new Error("each PR may be given once");
  return { prs, destinations };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    process.stdout.write(`${JSON.stringify(await routingFile(parseArgs(process.argv.slice(2))), null, 2)}\n`);
  } catch (error) {
    console.error(`proxy-routes.js: ${error.message}`);
    process.exitCode = 1;
  }
}
