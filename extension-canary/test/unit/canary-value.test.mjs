import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isValidPrNumber, prNumberProblem } from '../../extension/lib/canary-value.js';

const VALID = ['1', '7', '42', '100', '999999999'];
const INVALID = [
  '', '0', '00', '042', '-1', '+1', '1.0', '1e3', ' 42', '42 ', '4 2', '1234567890',
  '0x1A', '４２' /* full-width digits */, '٤٢' /* Arabic-Indic digits */, '42\n',
];

describe('PR number validation (the canary contract)', () => {
  test('accepts 1 to 9 ASCII digits without a leading zero', () => {
    for (const value of VALID) assert.equal(isValidPrNumber(value), true, value);
  });

  test('refuses signs, leading zeros, non-ASCII digits, whitespace and more than 9 digits', () => {
    for (const value of INVALID) assert.equal(isValidPrNumber(value), false, JSON.stringify(value));
  });

  test('refuses values that are not strings', () => {
    for (const value of [42, null, undefined, ['42'], { pr: '42' }]) assert.equal(isValidPrNumber(value), false);
  });

  test('the popup explains exactly the values the validator refuses', () => {
    for (const value of [...VALID, ...INVALID]) {
      assert.equal(prNumberProblem(value) === null, isValidPrNumber(value), JSON.stringify(value));
    }
  });

  test('the explanation names the rule that was broken', () => {
    assert.match(prNumberProblem('') ?? '', /Enter a PR number/);
    assert.match(prNumberProblem('-3') ?? '', /digits 0-9 only/);
    assert.match(prNumberProblem('042') ?? '', /leading zero/);
    assert.match(prNumberProblem('1234567890') ?? '', /at most 9 digits/);
  });
});
