// Validates rendered objects against the upstream schemas shipped by the
// kubernetes-models packages, plus a strict check for unknown fields.
//
// The packages ship their schemas as compiled validators (ajv standalone code),
// and those validators ignore properties the schema does not declare, so a
// misspelled field (`matchs`, `readynessProbe`) passes them. The strict check
// runs the same validator over a proxy of the object and records which property
// names it looks up: a compiled validator reads every property its schema
// declares (present or not), and for a map (`additionalProperties: <schema>`)
// it reads every key it is given. So in an object the validator inspected,
// a key it never read is one the schema does not know. An object the validator
// never looked into is free-form in the schema (x-kubernetes-preserve-unknown-fields,
// e.g. list generator elements) and is not checked further.
//
// AWS Controllers for Kubernetes has no kubernetes-models package; its objects are
// checked against a schema written from its CRD (ack-dynamodb.js).

import { ackGroups, ackProblems } from "./ack-dynamodb.js";

// Fields the packages' TypeScript types declare but their compiled validators never
// read: the CRD packages' schema generator drops every property named
// "description" along with the documentation. Allowed exactly where declared.
const unreadButDeclared = [
  { kind: "AppProject", key: "description", path: /^\/spec(\/roles\/\d+|\/syncWindows\/\d+)?$/ },
];

const crdPackages = new Map([
  ["argoproj.io", "@kubernetes-models/argo-cd"],
  ["gateway.networking.k8s.io", "@kubernetes-models/gateway-api"],
  ["monitoring.coreos.com", "@kubernetes-models/prometheus-operator"],
  ["traefik.io", "@kubernetes-models/traefik"],
]);

const models = new Map();

/** The kubernetes-models class for an apiVersion and kind. */
export async function modelFor(apiVersion, kind) {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    models.set(key, importModel(apiVersion, kind));
  }
  return models.get(key);
}

async function importModel(apiVersion, kind) {
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !/^[A-Za-z0-9]+$/.test(kind)) {
    throw new Error(`not a Kubernetes object: apiVersion=${apiVersion} kind=${kind}`);
  }
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const specifier = crdPackages.has(group)
    ? `${crdPackages.get(group)}/${apiVersion}/${kind}`
    : `kubernetes-models/${apiVersion}/${kind}`;
  let module;
  try {
    module = await import(specifier);
  } catch {
    throw new Error(`no upstream schema for ${apiVersion} ${kind} (${specifier})`);
  }
  const model = module[kind];
  if (typeof model?.prototype?.validate !== "function") {
    throw new Error(`${specifier} exports no model ${kind}`);
  }
  return model;
}

/**
 * Every problem with an object: schema violations and unknown fields, as
 * "<kind>/<name> <json pointer>: <message>" strings. Empty when valid.
 */
export async function schemaProblems(object) {
  // ACK has no kubernetes-models package: its schema is checked with ajv (ack-dynamodb.js).
  if (ackGroups.has(String(object?.apiVersion).split("/")[0])) return ackProblems(object);
  const model = await modelFor(object?.apiVersion, object?.kind);
  const label = `${object.kind}/${object.metadata?.name ?? "?"}`;
  const inspected = [];
  const proxy = observe(object, "", inspected);
  const problems = [];
  try {
    // The model's validate() runs the compiled schema on `this`; calling it on the
    // proxy validates the object as it is, without the model copying it first.
    model.prototype.validate.call(proxy);
  } catch (error) {
    problems.push(...String(error.message).split(", ").map((m) => `${label} ${m.replace(/^data/, "")}`));
  }
  for (const { path, keys, read } of inspected) {
    if (read.size === 0) continue; // free-form in the schema
    for (const key of keys) {
      if (!read.has(key) && !declaredElsewhere(object.kind, path, key)) problems.push(`${label} ${path}/${escapePointer(key)}: unknown field`);
    }
  }
  return problems;
}

const declaredElsewhere = (kind, path, key) =>
  unreadButDeclared.some((entry) => entry.kind === kind && entry.key === key && entry.path.test(path));

function observe(value, path, inspected) {
  if (Array.isArray(value)) {
    return value.map((item, index) => observe(item, `${path}/${index}`, inspected));
  }
  if (value === null || typeof value !== "object") return value;
  const keys = Object.keys(value);
  const copy = {};
  for (const key of keys) copy[key] = observe(value[key], `${path}/${escapePointer(key)}`, inspected);
  const read = new Set();
  inspected.push({ path, keys, read });
  return new Proxy(copy, {
    get(target, property, receiver) {
      if (typeof property === "string") read.add(property);
      return Reflect.get(target, property, receiver);
    },
    has(target, property) {
      if (typeof property === "string") read.add(property);
      return Reflect.has(target, property);
    },
  });
}

const escapePointer = (key) => key.replaceAll("~", "~0").replaceAll("/", "~1");
