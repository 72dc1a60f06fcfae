/**
 * Token signing keys: a current Ed25519 key that signs, and the previous one, still published in
 * the JWKS so tokens it signed stay valid until they expire. Keys come from GATEWAY_SIGNING_KEY
 * (rotated by redeploying) or are generated into a git-ignored file and rotated by API.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { AppError } from '@tongxin/service-kit';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  jwtVerify,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

interface StoredKey {
  kid: string;
  privateJwk: JWK;
  createdAt: string;
}
interface KeyFile {
  current: StoredKey;
  previous?: StoredKey;
}

export interface KeyStore {
  /** Public keys, current first (what `/.well-known/jwks.json` serves). */
  jwks(): JSONWebKeySet;
  currentKid(): string;
  sign(claims: JWTPayload, options: { subject: string; expiresInSeconds: number; jti: string }): Promise<string>;
  /** Verifies a token signed by the current or previous key (EdDSA only); throws jose errors. */
  verify(token: string): Promise<JWTPayload>;
  /** New current key; the old current becomes previous; the old previous is dropped. */
  rotate(): Promise<{ kid: string; previousKid: string }>;
}

const ALGORITHMS = ['EdDSA', 'Ed25519'];

async function newKey(): Promise<StoredKey> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = `gw-${randomUUID()}`;
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' },
    createdAt: new Date().toISOString(),
  };
}

function publicOf(key: StoredKey): JWK {
  const { kty, crv, x } = key.privateJwk;
  return { kty, crv, x, kid: key.kid, alg: 'EdDSA', use: 'sig' };
}

function parseEnvKey(text: string): StoredKey {
  let jwk: JWK;
  try {
    jwk = JSON.parse(text) as JWK;
  } catch {
    throw new Error('GATEWAY_SIGNING_KEY is not valid JSON');
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || !jwk.d || !jwk.x) {
    throw new Error('GATEWAY_SIGNING_KEY must be a private Ed25519 JWK (kty OKP, crv Ed25519, d, x)');
  }
  const kid = jwk.kid ?? 'gateway-env';
  return { kid, privateJwk: { ...jwk, kid, alg: 'EdDSA' }, createdAt: new Date(0).toISOString() };
}

export async function loadKeyStore(options: {
  envKey?: string | undefined;
  file: string;
  issuer: string;
  audience: string;
}): Promise<KeyStore> {
  const fromEnv = Boolean(options.envKey);
  let state: KeyFile;
  if (options.envKey) state = { current: parseEnvKey(options.envKey) };
  else if (existsSync(options.file)) state = JSON.parse(readFileSync(options.file, 'utf8')) as KeyFile;
  else {
    state = { current: await newKey() };
    save(options.file, state);
  }

  let signingKey = await importJWK(state.current.privateJwk, 'EdDSA');
  let localSet: JWTVerifyGetKey = createLocalJWKSet(publicSet());

  function publicSet(): JSONWebKeySet {
    return { keys: [state.current, ...(state.previous ? [state.previous] : [])].map(publicOf) };
  }

  return {
    jwks: publicSet,
    currentKid: () => state.current.kid,
    async sign(claims, { subject, expiresInSeconds, jti }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', kid: state.current.kid, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(subject)
        .setIssuedAt(now)
        .setJti(jti)
        .setExpirationTime(now + expiresInSeconds)
        .sign(signingKey);
    },
    async verify(token) {
      const { payload } = await jwtVerify(token, localSet, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: 5,
        requiredClaims: ['exp', 'sub'],
      });
      return payload;
    },
    async rotate() {
      if (fromEnv) {
        throw new AppError({
          code: 'rotation_managed_by_environment',
          status: 409,
          title: { en: 'Keys are rotated by deployment', zh: '签名密钥由部署配置轮换' },
          detail: 'The signing key comes from GATEWAY_SIGNING_KEY: rotate it by deploying a new key.',
        });
      }
      const next: KeyFile = { current: await newKey(), previous: state.current };
      save(options.file, next);
      state = next;
      signingKey = await importJWK(state.current.privateJwk, 'EdDSA');
      localSet = createLocalJWKSet(publicSet());
      return { kid: state.current.kid, previousKid: next.previous!.kid };
    },
  };
}

function save(file: string, state: KeyFile): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(state, null, 2), { mode: 0o600 });
  renameSync(temporary, file); // atomic: a crash never leaves half a key file
}
