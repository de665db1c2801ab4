// The part of Go's text/template that our ApplicationSet and notification templates
// use: field actions such as {{.number}} or {{ .head_short_sha_7 }}, and the builtin
// {{index .a.b "key"}} / {{index .list 0}}, with Argo CD's goTemplateOptions
// "missingkey=error" (a missing key fails the render) or Go's default (prints
// "<no value>"). Any other action is rejected, so a template can never use syntax
// this simulation would render differently from Argo CD.

const action = /\{\{(.*?)\}\}/gs;
const fieldChain = /^\s*((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*$/;
const indexCall = /^\s*index\s+((?:\.[A-Za-z_][A-Za-z0-9_]*)+)((?:\s+(?:"[^"\\]*"|\d+))+)\s*$/;

export function renderGoTemplate(text, params, options = []) {
  const missingKeyError = parseOptions(options);
  if (text.replace(action, "").includes("{{")) throw new Error(`unclosed action in ${JSON.stringify(text)}`);
  return text.replace(action, (whole, body) => {
    const field = fieldChain.exec(body);
    const call = field ? undefined : indexCall.exec(body);
    if (!field && !call) throw new Error(`unsupported template action ${whole} in ${JSON.stringify(text)}`);
    let value = params;
    for (const key of (field ?? call)[1].slice(1).split(".")) {
      const present = value !== null && typeof value === "object" && Object.hasOwn(value, key);
      if (!present) {
        if (missingKeyError) {
          throw new Error(`template: map has no entry for key "${key}" in ${JSON.stringify(text)}`);
        }
        return "<no value>";
      }
      value = value[key];
    }
    if (call) {
      for (const [, quoted, position] of call[2].matchAll(/"([^"\\]*)"|(\d+)/g)) {
        const key = quoted ?? Number(position);
        const present = value !== null && typeof value === "object" && Object.hasOwn(value, key);
        // Go's index yields the zero value for a missing map key and fails out of range;
        // neither is something a template here should rely on.
        if (!present) throw new Error(`${whole}: no ${JSON.stringify(key)}; not simulated`);
        value = value[key];
      }
    }
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw new Error(`${whole} is not a scalar; printing it is not simulated`);
  });
}

function parseOptions(options) {
  let missingKeyError = false;
  for (const option of options) {
    if (option === "missingkey=error") missingKeyError = true;
    else if (option !== "missingkey=default" && option !== "missingkey=invalid") {
      throw new Error(`goTemplateOptions ${option} is not simulated`);
    }
  }
  return missingKeyError;
}

/** Renders every string in a JSON-like value (Argo CD renders each string field of the template). */
export function renderDeep(value, params, options) {
  if (typeof value === "string") return renderGoTemplate(value, params, options);
  if (Array.isArray(value)) return value.map((item) => renderDeep(item, params, options));
  if (value !== null && typeof value === "object") {
    const result = {};
    for (const [key, item] of Object.entries(value)) {
      if (key.includes("{{")) throw new Error(`templated key ${key} is not simulated`);
      result[key] = renderDeep(item, params, options);
    }
    return result;
  }
  return value;
}
