// The local proxies' routing as generated from the manifests (local/proxy-routes.js): Traefik's
// priorities, hosts and header matches as Traefik and Linkerd compare them, the request headers a
// headers middleware sets, Linkerd's precedence and the baseline fallback, and a loud failure for
// anything it does not reproduce.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { eastWestRoutes, edgeRoutes, localDomain, parsePr, parseTraefikRule, renderRoutingObjects } from "../local/proxy-routes.js";
import { placeholders } from "../testlib/layout.js";

const host = placeholders.devHost;
const destinations = new Proxy({}, { get: (_, service) => (typeof service === "string" && !service.startsWith("missing") ? `http://${service}.local` : undefined) });

const ingressRoute = (name, routes, spec = {}) => ({
  kind: "IngressRoute",
  metadata: { name, namespace: "apps" },
  spec: { entryPoints: ["websecure"], routes: routes.map((route) => ({ kind: "Rule", services: [{ kind: "Service", name, port: 8080 }], ...route })), ...spec },
});
const grpcRoute = (name, rules, parentRefs = [{ group: "", kind: "Service", name: "store-service", port: 8080 }]) => ({
  kind: "GRPCRoute",
  metadata: { name, namespace: "apps" },
  spec: { parentRefs, rules: rules.map((rule) => ({ backendRefs: [{ name, port: 8080 }], ...rule })) },
});
const method = { type: "Exact", service: "store.v1.StoreService" };
const header = (value) => ({ type: "Exact", name: "x-canary", value });
const names = (routes) => routes.map((route) => route.name);

describe("from the rendered manifests: stable, PR 42 (both services), PR 7 (api only) and PR 8 (store only)", () => {
  let objects;
  before(async () => {
    objects = await renderRoutingObjects([parsePr("42"), parsePr("7:api-service"), parsePr("8:store-service")]);
  });

  const onDevHost = (routes) => routes.filter((r) => r.match.host === host);

  test("edge: both PR routes (priority 1000) before the stable route (100), each matching its X-Canary exactly", () => {
    const routes = onDevHost(edgeRoutes(objects, { host, destinations }));
    assert.deepEqual(routes.map((r) => [r.name, r.priority, r.match, r.destination]), [
      ["apps/api-service-pr-42 route 0", 1000, { host, headers: [{ name: "X-Canary", value: "42" }] }, "http://api-service-pr-42.local"],
      ["apps/api-service-pr-7 route 0", 1000, { host, headers: [{ name: "X-Canary", value: "7" }] }, "http://api-service-pr-7.local"],
      ["apps/api-service-canary-gate route 0", 500,
        { host, headers: [], headerPatterns: [{ name: "X-Canary", pattern: "^[1-9][0-9]{0,8}$" }] }, "http://api-service.local"],
      ["apps/api-service-stable route 0", 100, { host, headers: [] }, "http://api-service.local"],
    ]);
    assert.deepEqual(routes.map((r) => r.gates), [["pr-gate-pr-42"], ["pr-gate-pr-7"], ["pr-gate"], undefined]);
    assert.ok(routes.every((r) => r.requestHeaders === undefined), "the dev host's routes set no header");
  });

  test("edge: one preview route per PR, on its own host, gated, setting X-Canary to its number, to its api or stable's", () => {
    const routes = edgeRoutes(objects, { host, destinations }).filter((r) => r.match.host !== host);
    assert.deepEqual(routes.map((r) => [r.name, r.match, r.requestHeaders, r.gates, r.destination]), [
      ["apps/preview-api-service-pr-42 route 0", { host: `pr-42.${host}`, headers: [] }, { "X-Canary": "42" }, ["preview-pr-gate-pr-42"], "http://api-service-pr-42.local"],
      ["apps/preview-api-service-pr-7 route 0", { host: `pr-7.${host}`, headers: [] }, { "X-Canary": "7" }, ["preview-pr-gate-pr-7"], "http://api-service-pr-7.local"],
      ["apps/preview-api-service-pr-8 route 0", { host: `pr-8.${host}`, headers: [] }, { "X-Canary": "8" }, ["preview-pr-gate-pr-8"], "http://api-service.local"],
    ]);
    assert.equal(localDomain, "localhost", "pr-<n>.localhost stands for pr-<n>.<dev host> (tools/LocalProxy/RoutingFile.cs)");
  });

  test("east-west: PR 42's and PR 8's header routes, then the baseline catch-all; PR 7 has no store route, so it falls back", () => {
    const routes = eastWestRoutes(objects, { destinations });
    assert.deepEqual(routes.map((r) => [r.name, r.match, r.destination]), [
      ["apps/store-service-pr-42 rule 0", { grpc: { service: "store.v1.StoreService", method: null }, headers: [{ name: "x-canary", value: "42" }] },
        "http://store-service-pr-42.local"],
      ["apps/store-service-pr-8 rule 0", { grpc: { service: "store.v1.StoreService", method: null }, headers: [{ name: "x-canary", value: "8" }] },
        "http://store-service-pr-8.local"],
      ["apps/store-service-stable rule 0", null, "http://store-service.local"],
    ]);
  });

  test("a Service without a local address is an error, not a silent fallback", () => {
    assert.throws(() => edgeRoutes(objects, { host, destinations: { "api-service": "http://a" } }),
      /apps\/api-service-pr-42 route 0: no local address for Service api-service-pr-42/);
  });
});

describe("Traefik priorities", () => {
  test("without an explicit priority a rule weighs its length, so a longer stable rule beats a shorter PR rule", () => {
    const routes = edgeRoutes([
      ingressRoute("pr", [{ match: "Header(`X-Canary`, `1`)" }]),
      ingressRoute("stable", [{ match: `Host(\`${host}\`) && PathPrefix(\`/api\`)` }]),
    ], { host, destinations });
    assert.deepEqual(names(routes), ["apps/stable route 0", "apps/pr route 0"]);
    assert.deepEqual(routes.map((r) => r.priority), [`Host(\`${host}\`) && PathPrefix(\`/api\`)`.length, "Header(`X-Canary`, `1`)".length]);
  });

  test("an explicit priority wins over any length; 0 means the length, as in Traefik", () => {
    const routes = edgeRoutes([
      ingressRoute("long", [{ match: `Host(\`${host}\`) && PathPrefix(\`/a/very/long/prefix\`)`, priority: 0 }]),
      ingressRoute("short", [{ match: "Header(`X-Canary`, `1`)", priority: 500 }]),
    ], { host, destinations });
    assert.deepEqual(names(routes), ["apps/short route 0", "apps/long route 0"]);
    assert.equal(routes[1].priority, `Host(\`${host}\`) && PathPrefix(\`/a/very/long/prefix\`)`.length);
  });

  test("equal priorities, which Traefik leaves in no defined order, are ordered by namespace/name", () => {
    const routes = edgeRoutes([
      ingressRoute("b", [{ match: "Header(`X-Canary`, `2`)", priority: 7 }]),
      ingressRoute("a", [{ match: "Header(`X-Canary`, `1`)", priority: 7 }]),
    ], { host, destinations });
    assert.deepEqual(names(routes), ["apps/a route 0", "apps/b route 0"]);
  });

  test("a route for a host other than the dev host and the names under it, or for another entry point, never matches the local edge", () => {
    const routes = edgeRoutes([
      ingressRoute("other-host", [{ match: "Host(`api.example.com`)" }]),
      ingressRoute("suffix-only", [{ match: `Host(\`x${host}\`)` }]),
      ingressRoute("other-entry", [{ match: `Host(\`${host}\`)` }], { entryPoints: ["web"] }),
      ingressRoute("ours", [{ match: `Host(\`${host.toUpperCase()}\`)` }]),
      ingressRoute("under-ours", [{ match: `Host(\`PR-9.${host}\`)` }]),
      ingressRoute("any-host", [{ match: "Header(`X-Canary`, `1`)" }]),
    ], { host, destinations });
    assert.deepEqual(names(routes), ["apps/under-ours route 0", "apps/ours route 0", "apps/any-host route 0"]);
    assert.deepEqual(routes.map((r) => r.match.host), [`pr-9.${host}`, host, undefined], "hosts compare lower-cased; no Host, any host");
  });
});

describe("Traefik rules", () => {
  test("matchers joined by &&: header names and values as written, method upper-cased, double-quoted values too", () => {
    assert.deepEqual(parseTraefikRule('Host(`API.dev.example.com`) && Header(`X-Canary`, "42") && Method(`post`) && PathPrefix(`/api/v1`)'), {
      host: "api.dev.example.com", method: "POST", pathPrefix: "/api/v1", headers: [{ name: "X-Canary", value: "42" }],
    });
  });

  test("HeaderRegexp: a pattern on one header's field lines", () => {
    assert.deepEqual(parseTraefikRule("Host(`a`) && HeaderRegexp(`X-Canary`, `^[1-9][0-9]{0,8}$`)"), {
      host: "a", headers: [], headerPatterns: [{ name: "X-Canary", pattern: "^[1-9][0-9]{0,8}$" }],
    });
  });

  for (const rule of ["Host(`a`) || Header(`X-Canary`, `1`)", "!Header(`X-Canary`, `1`)", "(Host(`a`))", "HeaderRegexp(`X-Canary`)",
    "Header(`X-Canary`)", "Host(`a`) &&", "ClientIP(`10.0.0.0/8`)"]) {
    test(`is refused rather than approximated: ${rule}`, () => {
      assert.throws(() => parseTraefikRule(rule), /not reproduced locally|takes 2 argument/);
    });
  }

  test("a headers middleware's customRequestHeaders are set on the request; anything else it could do is refused", () => {
    const headers = (name, spec) => ({ kind: "Middleware", metadata: { name, namespace: "apps" }, spec: { headers: spec } });
    const route = (middlewares) => ingressRoute("h", [{ match: `Host(\`${host}\`)`, middlewares: middlewares.map((name) => ({ name })) }]);
    const [set] = edgeRoutes([headers("a", { customRequestHeaders: { "X-Canary": "1", "X-Other": "x" } }),
      headers("b", { customRequestHeaders: { "X-Canary": "2" } }), route(["a", "b"])], { host, destinations });
    assert.deepEqual(set.requestHeaders, { "X-Canary": "2", "X-Other": "x" }, "in the order the route names them, the last one wins");
    for (const [spec, error] of [
      [{ customRequestHeaders: { "X-Canary": "" } }, /customRequestHeaders X-Canary: "" is not reproduced/],
      [{ customRequestHeaders: { host: "elsewhere" } }, /customRequestHeaders host/],
      [{ customResponseHeaders: { "X-Frame-Options": "DENY" } }, /customResponseHeaders is not reproduced/],
      [{ accessControlAllowOriginList: ["*"] }, /accessControlAllowOriginList is not reproduced/],
    ]) {
      assert.throws(() => edgeRoutes([headers("a", spec), route(["a"])], { host, destinations }), error);
    }
    const both = { kind: "Middleware", metadata: { name: "a", namespace: "apps" }, spec: { ipAllowList: { sourceRange: ["10.0.0.0/8"] }, headers: {} } };
    assert.throws(() => edgeRoutes([both, route(["a"])], { host, destinations }), /one kind of middleware per Middleware/);
  });

  test("a route behind an allow-list that admits no address forwards nothing, and is left out", () => {
    const closed = { kind: "Middleware", metadata: { name: "closed", namespace: "apps" }, spec: { ipAllowList: { sourceRange: ["0.0.0.0/32", "::/128"] } } };
    const gate = { kind: "Middleware", metadata: { name: "gate", namespace: "apps" }, spec: { ipAllowList: { sourceRange: ["0.0.0.0/32", "10.0.0.0/8"] } } };
    const routes = edgeRoutes([closed, gate,
      ingressRoute("closed", [{ match: `HostRegexp(\`^.+\\.${host}$\`)`, middlewares: [{ name: "closed" }] }]),
      ingressRoute("gated", [{ match: `Host(\`${host}\`)`, middlewares: [{ name: "gate" }] }])], { host, destinations });
    assert.deepEqual(names(routes), ["apps/gated route 0"], "an allow-list that admits anyone is a gate");
  });

  test("the PR gate is named on its route and not applied (loopback callers only); other middlewares are refused", () => {
    const gate = { kind: "Middleware", metadata: { name: "gate", namespace: "apps" }, spec: { ipAllowList: { sourceRange: ["203.0.113.0/24"] } } };
    const auth = { kind: "Middleware", metadata: { name: "auth", namespace: "apps" }, spec: { forwardAuth: { address: "http://auth" } } };
    const [gated] = edgeRoutes([gate, ingressRoute("g", [{ match: `Host(\`${host}\`)`, middlewares: [{ name: "gate" }] }])], { host, destinations: { g: "http://g" } });
    assert.deepEqual(gated.gates, ["gate"]);
    assert.throws(() => edgeRoutes([auth, ingressRoute("m", [{ match: "Host(`x`)", middlewares: [{ name: "auth" }] }])], { host, destinations }),
      /forwardAuth is not reproduced locally/);
    assert.throws(() => edgeRoutes([ingressRoute("m", [{ match: "Host(`x`)", middlewares: [{ name: "missing" }] }])], { host, destinations }),
      /middleware missing does not exist/);
    assert.throws(() => edgeRoutes([ingressRoute("s", [{ match: "Host(`x`)", services: [{ name: "a" }, { name: "b" }] }])], { host, destinations }),
      /exactly one service/);
  });
});

describe("Linkerd GRPCRoute precedence and the baseline fallback", () => {
  test("the more specific match wins whatever the order: method, then service, then headers, the baseline last", () => {
    const routes = eastWestRoutes([
      grpcRoute("a-baseline", [{}]),
      grpcRoute("b-service", [{ matches: [{ method }] }]),
      grpcRoute("c-header", [{ matches: [{ method, headers: [header("1")] }] }]),
      grpcRoute("d-method", [{ matches: [{ method: { ...method, method: "GetItem" } }] }]),
    ], { destinations });
    assert.deepEqual(names(routes), ["apps/d-method rule 0", "apps/c-header rule 0", "apps/b-service rule 0", "apps/a-baseline rule 0"]);
    assert.equal(routes.at(-1).match, null, "a rule without matches matches every request");
  });

  test("equally specific rules keep route order (creation time, then name) and rule order", () => {
    const routes = eastWestRoutes([
      grpcRoute("z", [{ matches: [{ method, headers: [header("2")] }] }]),
      grpcRoute("y", [{ matches: [{ method, headers: [header("3")] }] }, { matches: [{ method, headers: [header("4")] }] }]),
    ], { destinations });
    assert.deepEqual(names(routes), ["apps/y rule 0", "apps/y rule 1", "apps/z rule 0"]);
  });

  test("without a baseline nothing catches the rest: the proxy answers NOT_FOUND as Linkerd does", () => {
    const routes = eastWestRoutes([grpcRoute("pr", [{ matches: [{ method, headers: [header("7")] }] }])], { destinations });
    assert.ok(routes.every((route) => route.match !== null));
  });

  test("only routes attached to the Service the callers dial count", () => {
    const routes = eastWestRoutes([
      grpcRoute("other-service", [{}], [{ group: "", kind: "Service", name: "store-service-pr-7", port: 8080 }]),
      grpcRoute("other-port", [{}], [{ group: "", kind: "Service", name: "store-service", port: 9090 }]),
      grpcRoute("gateway", [{}], [{ name: "store-service" }]),
      grpcRoute("dialed", [{}]),
    ], { destinations });
    assert.deepEqual(names(routes), ["apps/dialed rule 0"]);
  });

  test("a header match without method is refused, as released Linkerd proxies refuse it (MissingRpc)", () => {
    assert.throws(() => eastWestRoutes([grpcRoute("pr", [{ matches: [{ headers: [header("7")] }] }])], { destinations }), /MissingRpc/);
  });

  test("regular expressions, filters and split backends are refused", () => {
    assert.throws(() => eastWestRoutes([grpcRoute("r", [{ matches: [{ method, headers: [{ type: "RegularExpression", name: "x-canary", value: "4.*" }] }] }])],
      { destinations }), /RegularExpression is not reproduced/);
    assert.throws(() => eastWestRoutes([grpcRoute("f", [{ matches: [{ method }], filters: [{ type: "RequestHeaderModifier" }] }])], { destinations }),
      /filters is not reproduced/);
    assert.throws(() => eastWestRoutes([grpcRoute("s", [{ backendRefs: [{ name: "a" }, { name: "b" }] }])], { destinations }), /exactly one backendRef/);
  });
});

test("--pr: a PR number with both services by default, or the services named", () => {
  assert.deepEqual(parsePr("42"), { number: 42, services: ["api-service", "store-service"] });
  assert.deepEqual(parsePr("7:api-service"), { number: 7, services: ["api-service"] });
  for (const spec of ["042", "0", "x", "7:web"]) assert.throws(() => parsePr(spec), spec);
});
