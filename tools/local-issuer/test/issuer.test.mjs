import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { apiSettings, jwtSettings, mint, publicKeySet } from '../issuer.mjs';

const stateDir = () => mkdtempSync(join(tmpdir(), 'local-issuer-'));

test('the key is created once, readable by its owner only, and published without its private part', async () => {
  const dir = stateDir();
  const first = await publicKeySet(dir);
  const second = await publicKeySet(dir);

  assert.deepEqual(first, second);
  assert.equal(first.keys.length, 1);
  assert.equal(first.keys[0].d, undefined);
  assert.equal(first.keys[0].kty, 'EC');
  const file = join(dir, 'jwt', 'signing-key.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(JSON.parse(readFileSync(file, 'utf8')).d);
});

test('a minted token verifies against the published keys with its issuer and audience', async () => {
  const dir = stateDir();
  const { issuer, audience, tenantClaim } = await jwtSettings();
  const token = await mint(dir, { tenant: '42', user: 'alice', ttlSeconds: 600 });

  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await publicKeySet(dir)), { issuer, audience });

  assert.equal(protectedHeader.alg, 'ES256');
  assert.equal(payload[tenantClaim], 42);
  assert.equal(payload.sub, 'alice');
  assert.ok(payload.exp - payload.iat === 600);
});

test('tenants beyond 2^53 keep every digit as a string claim', async () => {
  const dir = stateDir();
  const { issuer, audience, tenantClaim } = await jwtSettings();
  const token = await mint(dir, { tenant: '9223372036854775807' });

  const { payload } = await jwtVerify(token, createLocalJWKSet(await publicKeySet(dir)), { issuer, audience });

  assert.equal(payload[tenantClaim], '9223372036854775807');
});

test('a tenant that is no positive 64-bit integer is refused', async () => {
  for (const tenant of ['0', '-1', 'acme', '9223372036854775808', '']) {
    await assert.rejects(mint(stateDir(), { tenant }), /positive 64-bit integer/);
  }
});

test('api-settings names what an api must trust: the issuer, the audience and the published keys', async () => {
  const dir = stateDir();
  const { issuer, audience } = await jwtSettings();

  const settings = await apiSettings(dir);

  assert.deepEqual([settings.issuer, settings.audience], [issuer, audience]);
  assert.deepEqual(JSON.parse(settings.signingKeys), await publicKeySet(dir));
  const token = await mint(dir, { tenant: '7' });
  await jwtVerify(token, createLocalJWKSet(JSON.parse(settings.signingKeys)), { issuer: settings.issuer, audience: settings.audience });
});
