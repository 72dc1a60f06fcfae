/**
 * Test helpers: an Ed25519 key pair and tokens shaped like the gateway's
 * (`import { createTestIssuer } from '@tongxin/service-kit/testing'`).
 */
import { randomUUID } from 'node:crypto';

import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

import type { TongxinClaims } from './principal.js';

export interface TestIssuer {
  issuer: string;
  audience: string;
  /** The key id tokens carry in their header. */
  kid: string;
  /** The public key as a JWKS (`JWT_PUBLIC_JWK` / `auth.publicJwk`). */
  jwks: { keys: JWK[] };
  /** A signed token; `expiresIn` like '5m', or a negative number of seconds for an expired one. */
  sign(
    claims: TongxinClaims,
    options?: { expiresIn?: string | number; audience?: string; issuer?: string; kid?: string },
  ): Promise<string>;
}

export async function createTestIssuer(options: { issuer?: string; audience?: string } = {}): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
  const issuer = options.issuer ?? 'https://gateway.tongxin.test';
  const audience = options.audience ?? 'tongxin';
  return {
    issuer,
    audience,
    kid,
    jwks: { keys: [publicJwk] },
    async sign(claims, signOptions = {}) {
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = signOptions.expiresIn ?? '5m';
      return new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'EdDSA', kid: signOptions.kid ?? kid, typ: 'JWT' })
        .setIssuer(signOptions.issuer ?? issuer)
        .setAudience(signOptions.audience ?? audience)
        .setSubject(claims.sub)
        .setIssuedAt(typeof expiresIn === 'number' && expiresIn < 0 ? now + expiresIn - 60 : now)
        .setJti(randomUUID())
        .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
        .sign(privateKey);
    },
  };
}

/** An unsigned token (`alg: none`), which every service must refuse. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`;
}
