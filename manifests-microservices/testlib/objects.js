// Small queries over rendered objects.

export const ofKind = (objects, kind) => objects.filter((o) => o.kind === kind);

export function only(objects, kind, name) {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind}${name ? ` ${name}` : ""}, found ${found.map((o) => o.metadata.name).join(", ") || "none"}`);
  }
  return found[0];
}

/** Kubernetes label selector semantics: a map (Service) or a LabelSelector. */
export function selects(selector, labels = {}) {
  if (!selector) return false;
  const isLabelSelector = "matchLabels" in selector || "matchExpressions" in selector;
  const matchLabels = isLabelSelector ? selector.matchLabels ?? {} : selector;
  const expressions = isLabelSelector ? selector.matchExpressions ?? [] : [];
  if (Object.keys(matchLabels).length === 0 && expressions.length === 0) {
    // An empty Service selector selects nothing; an empty LabelSelector everything.
    return isLabelSelector;
  }
  const labelsMatch = Object.entries(matchLabels).every(([key, value]) => labels[key] === value);
  return labelsMatch && expressions.every(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In": return key in labels && values.includes(labels[key]);
      case "NotIn": return !(key in labels) || !values.includes(labels[key]);
      case "Exists": return key in labels;
      case "DoesNotExist": return !(key in labels);
      default: throw new Error(`unknown selector operator ${operator}`);
    }
  });
}

export const podLabels = (deployment) => deployment.spec.template.metadata?.labels ?? {};

/** Every pod spec in the objects, with the workload it came from. */
export function podSpecs(objects) {
  return objects
    .filter((o) => o.spec?.template?.spec?.containers)
    .map((o) => ({ owner: `${o.kind}/${o.metadata.name}`, spec: o.spec.template.spec }));
}

export const allContainers = (podSpec) => [
  ...(podSpec.initContainers ?? []),
  ...podSpec.containers,
  ...(podSpec.ephemeralContainers ?? []),
];

export const envValue = (container, name) => container.env?.find((e) => e.name === name);

/**
 * Traefik's router priority: the explicit one, or the rule's length when it is absent or 0
 * (traefik/traefik pkg/server/router/router.go, GetRulePriority in pkg/muxer/http/mux.go).
 */
export const routePriority = (route) => route.priority || route.match.length;
