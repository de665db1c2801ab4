// .dockerignore semantics as BuildKit applies them: patterns are cleaned paths
// relative to the context root, `*` and `?` stay within one path segment, `**` spans
// segments, a pattern that matches a parent directory matches everything below it,
// and the last matching pattern wins (`!` re-includes).

function globToRegExp(pattern) {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      i++;
      if (pattern[i + 1] === '/') {
        i++;
        source += '(?:.*/)?';
      } else {
        source += '.*';
      }
    } else if (c === '*') {
      source += '[^/]*';
    } else if (c === '?') {
      source += '[^/]';
    } else {
      source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** Returns path => true when the path is sent to the builder. */
export function contextFilter(dockerignoreText) {
  const rules = dockerignoreText
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = (negate ? line.slice(1) : line).trim().replace(/^\/+|\/+$/g, '');
      return { negate, regexp: globToRegExp(pattern) };
    });

  return (path) => {
    const segments = path.replace(/\/+$/, '').split('/');
    const selfAndParents = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
    let excluded = false;
    for (const rule of rules) {
      if (selfAndParents.some((p) => rule.regexp.test(p))) excluded = !rule.negate;
    }
    return !excluded;
  };
}
