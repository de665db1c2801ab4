// The PR-number rule from the canary contract (docs/design.md): ASCII digits, no sign,
// no leading zero, at most 9 digits. The popup refuses anything the server would ignore.

const PR_NUMBER = /^[1-9][0-9]{0,8}$/;

/**
 * @param {unknown} value
 * @returns {value is string}
 */
export function isValidPrNumber(value) {
  return typeof value === 'string' && PR_NUMBER.test(value);
}

/**
 * Explains why a PR number is refused, or returns null when it is valid.
 * @param {string} value raw text typed by the user
 * @returns {string | null}
 */
export function prNumberProblem(value) {
  if (value === '') return 'Enter a PR number.';
  if (!/^[0-9]+$/.test(value)) return 'Use digits 0-9 only (no sign, spaces or letters).';
  if (value.startsWith('0')) return 'A PR number has no leading zero.';
  if (value.length > 9) return 'A PR number has at most 9 digits.';
  return null;
}
