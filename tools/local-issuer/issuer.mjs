// The local token issuer of `scripts/run --auth jwt` and `scripts/mint-token`: one ES256 key
// pair, generated on first use and kept in the run command's state folder (never committed),
// and tokens signed with it for its own issuer and audience. The AppHost asks it what the api
// tracks must trust (api-settings). jose does the signing.
//
//   node issuer.mjs api-settings <state-dir>   {"issuer","audience","signingKeys"} (JSON), creating the key if missing
//   node issuer.mjs keys <state-dir>           the public JWKS (JSON), creating the key if missing
//   node issuer.mjs mint <state-dir> [--tenant N] [--user ID] [--ttl SECONDS]   a signed token
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';

const algorithm = 'ES256';

/** This issuer's name (iss), the audience (aud) it mints for, and the claim the api reads the tenant from (its default). */
export async function jwtSettings() {
  return { issuer: 'https://issuer.canarydemo.local', audience: 'canarydemo-api', tenantClaim: 'tenant_id' };
}

/** What an api needs to trust this issuer: Auth:Jwt:Issuer, Auth:Jwt:Audience and Auth:Jwt:SigningKeys. */
export async function apiSettings(stateDir) {
  const { issuer, audience } = await jwtSettings();
  return { issuer, audience, signingKeys: JSON.stringify(await publicKeySet(stateDir)) };
}

const keyFile = (stateDir) => join(stateDir, 'jwt', 'signing-key.json');

/** The private JWK, created (readable by the owner only) when the state folder has none. */
export async function signingKey(stateDir) {
  const file = keyFile(stateDir);
  if (!existsSync(file)) {
    const { privateKey } = await generateKeyPair(algorithm, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), alg: algorithm, use: 'sig', kid: `local-${Date.now().toString(36)}` };
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return JSON.parse(readFileSync(file, 'utf8'));
}

/** The public half as a JSON Web Key Set, what Auth:Jwt:SigningKeys takes. */
export async function publicKeySet(stateDir) {
  const { d: _private, ...publicJwk } = await signingKey(stateDir);
  return { keys: [publicJwk] };
}

/**
 * A signed token for one tenant and user.
 * @param {string} stateDir
 * @param {{ tenant?: string, user?: string, ttlSeconds?: number }} options
 */
export async function mint(stateDir, { tenant = '1', user = 'local-user', ttlSeconds = 3600 } = {}) {
  if (!/^[0-9]+$/.test(tenant) || BigInt(tenant) < 1n || BigInt(tenant) > 9223372036854775807n) {
    throw new Error(`--tenant must be a positive 64-bit integer, not '${tenant}'`);
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) throw new Error('--ttl must be a positive number of seconds');
  const jwk = await signingKey(stateDir);
  const { issuer, audience, tenantClaim } = await jwtSettings();
  // A number claim while it is exact in JavaScript, else the digits as a string (the api reads both).
  const tenantValue = BigInt(tenant) <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(tenant) : tenant;
  return new SignJWT({ [tenantClaim]: tenantValue })
    .setProtectedHeader({ alg: algorithm, kid: jwk.kid, typ: 'JWT' })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(user)
    .setIssuedAt()
    .setNotBefore('0s')
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await importJWK(jwk, algorithm));
}

/** @param {string[]} argv */
async function main(argv) {
  const [command, stateDir, ...rest] = argv;
  if (!stateDir) throw new Error('usage: issuer.mjs api-settings <state-dir> | keys <state-dir> | mint <state-dir> [--tenant N] [--user ID] [--ttl SECONDS]');
  switch (command) {
    case 'api-settings':
      console.log(JSON.stringify(await apiSettings(stateDir)));
      return;
    case 'keys':
      console.log(JSON.stringify(await publicKeySet(stateDir)));
      return;
    case 'mint': {
      const options = {};
      for (let i = 0; i < rest.length; i += 2) {
        const [flag, value] = [rest[i], rest[i + 1]];
        if (value === undefined) throw new Error(`${flag} needs a value`);
        if (flag === '--tenant') options.tenant = value;
        else if (flag === '--user') options.user = value;
        else if (flag === '--ttl') options.ttlSeconds = Number(value);
        else throw new Error(`unknown option ${flag}`);
      }
      console.log(await mint(stateDir, options));
      return;
    }
    default:
      throw new Error(`unknown command '${command}' (api-settings, keys or mint)`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`mint-token: ${error.message}`);
    process.exit(1);
  });
}
