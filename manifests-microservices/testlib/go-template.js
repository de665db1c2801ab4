// The part of Go's text/template (and of the sprig functions Argo CD adds) that our
// ApplicationSet and notification templates use, with Go's semantics:
//   - actions {{ … }} with trim markers {{- and -}}, comments {{/* … */}};
//   - field chains on dot, on $ and on variables ({{ .a.b }}, {{ $x.y }}), variables
//     declared with := (scoped to their block), if / else if / else / end;
//   - function calls with arguments, parenthesised calls, string and integer literals;
//   - builtins and, or, not, eq, ne, len, index, printf (%s, %d), and sprig's toString,
//     trimSuffix, trimPrefix and regexMatch;
//   - goTemplateOptions "missingkey=error" (a missing map key in a field chain fails the
//     render) or Go's default (it yields no value, printed "<no value>"); the index builtin
//     yields nil for a missing key in either mode.
// Anything else (pipelines with |, range, with, define, other functions) is rejected, so a
// template can never use syntax this simulation would render differently from Argo CD.
//
// Sources: golang/go src/text/template (exec.go evalField and the missingkey option,
// funcs.go builtins, and/or/not/eq/index/len, truth), Masterminds/sprig v3 (strings.go
// strval, functions.go trimSuffix/trimPrefix, regex.go regexMatch), argoproj/argo-cd
// v3.5.1 applicationset/utils/utils.go (the sprig function map, Render.Replace).

const NO_VALUE = Symbol("no value");

class Scope {
  constructor(parent, entries = {}) {
    this.parent = parent;
    this.vars = new Map(Object.entries(entries));
  }
  get(name) {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.parent) return this.parent.get(name);
    throw new Error(`undefined variable: $${name}`);
  }
  declare(name, value) {
    this.vars.set(name, value);
  }
}

// ---- parsing -------------------------------------------------------------------------

/** Splits a template into text and action items, applying the trim markers. */
function lex(text) {
  const items = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf("{{", position);
    if (open < 0) {
      items.push({ text: text.slice(position) });
      break;
    }
    let before = text.slice(position, open);
    let inner = open + 2;
    if (/^-[ \t\r\n]/.test(text.slice(inner))) {
      before = before.replace(/[ \t\r\n]+$/, "");
      inner += 1;
    }
    if (before) items.push({ text: before });
    const close = findClose(text, inner);
    if (close < 0) throw new Error(`unclosed action in ${JSON.stringify(text)}`);
    let body = text.slice(inner, close);
    let next = close + 2;
    if (/[ \t\r\n]-$/.test(body)) {
      body = body.slice(0, -1);
      const rest = text.slice(next);
      next += rest.length - rest.replace(/^[ \t\r\n]+/, "").length;
    }
    items.push({ action: body.trim(), source: text.slice(open, close + 2) });
    position = next;
  }
  return items;
}

/** The index of the "}}" that closes an action starting at `from`, skipping quoted text. */
function findClose(text, from) {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
    } else if (c === "`") {
      i = text.indexOf("`", i + 1);
      if (i < 0) return -1;
    } else if (c === "}" && text[i + 1] === "}") {
      return i;
    }
  }
  return -1;
}

const tokenPattern = /\s*(?:(?<string>"(?:[^"\\]|\\.)*")|(?<raw>`[^`]*`)|(?<number>-?\d+)|(?<declare>:=)|(?<open>\()|(?<close>\))|(?<pipe>\|)|(?<variable>\$[A-Za-z_0-9]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(?<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+|\.)|(?<ident>[A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(action) {
  const tokens = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < action.length) {
    const start = tokenPattern.lastIndex;
    if (/^\s*$/.test(action.slice(start))) break;
    const match = tokenPattern.exec(action);
    if (!match || match.index !== start) throw new Error(`unsupported template syntax at '${action.slice(start)}'`);
    const [kind, value] = Object.entries(match.groups).find(([, v]) => v !== undefined);
    tokens.push({ kind, value });
  }
  return tokens;
}

function unquote(token) {
  if (token.kind === "raw") return token.value.slice(1, -1);
  return JSON.parse(token.value.replace(/\\([^"\\/bfnrtu])/g, (_, c) => {
    throw new Error(`string escape \\${c} is not simulated`);
  }));
}

/** An expression: a command (function call or operand) from tokens[i]; returns [node, next index]. */
function parseCommand(tokens, i, stop) {
  const first = tokens[i];
  if (!first) throw new Error("missing expression");
  if (first.kind === "pipe") throw new Error("pipelines (|) are not simulated");
  if (first.kind === "ident" && !["true", "false", "nil"].includes(first.value)) {
    const args = [];
    let j = i + 1;
    while (j < tokens.length && !stop(tokens[j])) {
      const [arg, next] = parseOperand(tokens, j);
      args.push(arg);
      j = next;
    }
    return [{ call: first.value, args }, j];
  }
  return parseOperand(tokens, i);
}

function parseOperand(tokens, i) {
  const token = tokens[i];
  switch (token?.kind) {
    case "string":
    case "raw":
      return [{ literal: unquote(token) }, i + 1];
    case "number":
      return [{ literal: Number(token.value) }, i + 1];
    case "ident":
      if (token.value === "true" || token.value === "false") return [{ literal: token.value === "true" }, i + 1];
      if (token.value === "nil") return [{ literal: null }, i + 1];
      throw new Error(`function ${token.value} used as an argument needs parentheses`);
    case "field":
      return [{ field: token.value === "." ? [] : token.value.slice(1).split(".") }, i + 1];
    case "variable": {
      const [name, ...chain] = token.value.slice(1).split(".");
      return [{ variable: name, chain }, i + 1];
    }
    case "open": {
      const [node, next] = parseCommand(tokens, i + 1, (t) => t.kind === "close");
      if (tokens[next]?.kind !== "close") throw new Error("unclosed parenthesis");
      if (tokens[next + 1]?.kind === "field") throw new Error("field access on a parenthesised value is not simulated");
      return [node, next + 1];
    }
    default:
      throw new Error(`unexpected ${token ? token.value : "end of action"}`);
  }
}

function parseExpression(action) {
  const tokens = tokenize(action);
  const [node, next] = parseCommand(tokens, 0, () => false);
  if (next !== tokens.length) throw new Error(`unsupported template syntax: ${action}`);
  return node;
}

/** The template as a tree: text, output, declare, if (with branches). */
function parse(text) {
  const items = lex(text);
  let index = 0;
  const block = (terminators) => {
    const nodes = [];
    while (index < items.length) {
      const item = items[index];
      if (item.text !== undefined) {
        nodes.push({ text: item.text });
        index++;
        continue;
      }
      const action = item.action;
      const keyword = /^(if|else if|else|end|range|with|define|template|block|break|continue)\b/.exec(action)?.[1];
      if (action.startsWith("/*")) {
        if (!action.endsWith("*/")) throw new Error(`unclosed comment in ${item.source}`);
        index++;
        continue;
      }
      if (keyword && terminators.includes(keyword)) return { nodes, terminator: keyword, item };
      if (keyword === "if") {
        index++;
        const branches = [];
        let condition = parseExpression(action.slice(2));
        for (;;) {
          const { nodes: body, terminator, item: end } = block(["else if", "else", "end"]);
          branches.push({ condition, body });
          index++;
          if (terminator === "end") break;
          if (terminator === "else if") {
            condition = parseExpression(end.action.slice("else if".length));
          } else {
            const { nodes: otherwise } = block(["end"]);
            index++;
            branches.push({ condition: null, body: otherwise });
            break;
          }
        }
        nodes.push({ branches });
        continue;
      }
      if (keyword) throw new Error(`{{${keyword}}} is not simulated (${item.source})`);
      const declaration = /^\$([A-Za-z_][A-Za-z0-9_]*)\s*:=\s*([\s\S]+)$/.exec(action);
      if (declaration) nodes.push({ declare: declaration[1], expression: parseExpression(declaration[2]) });
      else if (/^\$[A-Za-z_0-9]*\s*=[^=]/.test(action)) throw new Error(`assignment is not simulated (${item.source})`);
      else nodes.push({ output: parseExpression(action), source: item.source });
      index++;
    }
    if (terminators.length > 0) throw new Error(`missing {{end}} in ${JSON.stringify(text)}`);
    return { nodes };
  };
  return block([]).nodes;
}

// ---- values --------------------------------------------------------------------------

const isMap = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Go's truth of a value (text/template's isTrue). */
function truth(value) {
  if (value === NO_VALUE || value === null || value === undefined) return false;
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0;
  if (typeof value === "string") return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return Object.keys(value).length > 0;
}

/**
 * Go's %v of a float64 (JSON numbers are float64 in Go): strconv's shortest 'g', which
 * switches to %e when the exponent is below -4 or at least 6 (so 1234567 prints 1.234567e+06).
 */
function goFloat(value) {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  const [mantissa, exponentText] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 6) {
    return `${mantissa}e${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  return String(value);
}

/** fmt's %v, as sprig's toString (strval) and printing use it. */
function goString(value) {
  if (value === NO_VALUE) return "<no value>";
  if (value === null || value === undefined) return "<nil>";
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") return goFloat(value);
  if (Array.isArray(value)) return `[${value.map(goString).join(" ")}]`;
  return `map[${Object.keys(value).sort().map((k) => `${k}:${goString(value[k])}`).join(" ")}]`;
}

function requireString(value, name, position) {
  if (typeof value !== "string") throw new Error(`${name}: argument ${position} is ${goString(value)}, not a string`);
  return value;
}

const functions = {
  eq: (a, ...others) => {
    if (others.length === 0) throw new Error("eq: missing argument for comparison");
    for (const value of [a, ...others]) {
      if (typeof value !== "string" && typeof value !== "boolean") throw new Error(`eq of ${goString(value)} is not simulated`);
    }
    return others.some((b) => {
      if (typeof a !== typeof b) throw new Error("eq: incompatible types for comparison");
      return a === b;
    });
  },
  ne: (a, b) => !functions.eq(a, b),
  not: (a) => !truth(a),
  len: (value) => {
    if (typeof value === "string" || Array.isArray(value)) return value.length;
    if (isMap(value)) return Object.keys(value).length;
    throw new Error(`len of ${goString(value)}`);
  },
  index: (item, ...keys) => {
    let value = item;
    for (const key of keys) {
      if (Array.isArray(value)) {
        if (!Number.isInteger(key) || key < 0 || key >= value.length) throw new Error(`index out of range: ${key}`);
        value = value[key];
      } else if (isMap(value)) {
        value = Object.hasOwn(value, key) ? value[key] : null;
      } else {
        throw new Error(`can't index item of type ${goString(value)}`);
      }
    }
    return value;
  },
  printf: (format, ...args) => {
    let next = 0;
    return requireString(format, "printf", 1).replace(/%([sd%])/g, (_, verb) => {
      if (verb === "%") return "%";
      const value = args[next++];
      if (verb === "s" && typeof value === "string") return value;
      if (verb === "d" && Number.isInteger(value)) return String(value);
      throw new Error(`printf %${verb} of ${goString(value)} is not simulated`);
    });
  },
  toString: (value) => goString(value),
  trimSuffix: (suffix, text) => {
    requireString(suffix, "trimSuffix", 1);
    requireString(text, "trimSuffix", 2);
    return suffix && text.endsWith(suffix) ? text.slice(0, -suffix.length) : text;
  },
  trimPrefix: (prefix, text) => {
    requireString(prefix, "trimPrefix", 1);
    requireString(text, "trimPrefix", 2);
    return text.startsWith(prefix) ? text.slice(prefix.length) : text;
  },
  // Go's RE2 and JavaScript agree on the patterns used here (anchors, classes, counted
  // repetition, alternation); any other construct is refused rather than guessed.
  regexMatch: (pattern, text) => {
    requireString(pattern, "regexMatch", 1);
    requireString(text, "regexMatch", 2);
    if (/\\[^dDwWsS.$^()[\]{}|*+?\\-]|\(\?|\\[pPbB]/.test(pattern)) throw new Error(`regexMatch pattern ${pattern} is not simulated`);
    return new RegExp(pattern, "u").test(text);
  },
};

// ---- evaluation ----------------------------------------------------------------------

function walkChain(value, chain, missingKeyError, where) {
  let current = value;
  for (const key of chain) {
    if (current === NO_VALUE) return NO_VALUE;
    if (!isMap(current)) throw new Error(`${where}: can't evaluate field ${key} in ${goString(current)}`);
    if (!Object.hasOwn(current, key)) {
      if (missingKeyError) throw new Error(`template: map has no entry for key "${key}" in ${where}`);
      return NO_VALUE;
    }
    current = current[key];
  }
  return current;
}

function evaluate(node, dot, scope, context) {
  if ("literal" in node) return node.literal;
  if (node.field) return walkChain(dot, node.field, context.missingKeyError, context.where);
  if (node.variable !== undefined) return walkChain(scope.get(node.variable), node.chain, context.missingKeyError, context.where);
  if (node.call === "and" || node.call === "or") {
    if (node.args.length === 0) throw new Error(`${node.call}: missing arguments`);
    let value;
    for (const arg of node.args) {
      value = evaluate(arg, dot, scope, context);
      if (node.call === "and" ? !truth(value) : truth(value)) return value;
    }
    return value;
  }
  const fn = functions[node.call];
  if (!fn) throw new Error(`function ${node.call} is not simulated`);
  const args = node.args.map((arg) => {
    const value = evaluate(arg, dot, scope, context);
    return value === NO_VALUE ? null : value;
  });
  return fn(...args);
}

function execute(nodes, dot, scope, context) {
  let output = "";
  for (const node of nodes) {
    if (node.text !== undefined) {
      output += node.text;
    } else if (node.declare) {
      scope.declare(node.declare, evaluate(node.expression, dot, scope, context));
    } else if (node.branches) {
      const branch = node.branches.find((b) => b.condition === null || truth(evaluate(b.condition, dot, scope, context)));
      if (branch) output += execute(branch.body, dot, new Scope(scope), context);
    } else {
      const value = evaluate(node.output, dot, scope, context);
      if (isMap(value) || Array.isArray(value)) throw new Error(`${node.source} is not a scalar; printing it is not simulated`);
      output += goString(value);
    }
  }
  return output;
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

export function renderGoTemplate(text, params, options = []) {
  const context = { missingKeyError: parseOptions(options), where: JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text) };
  return execute(parse(text), params, new Scope(undefined, { "": params }), context);
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
