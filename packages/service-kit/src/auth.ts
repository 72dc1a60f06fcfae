import type { RequestHandler } from 'express';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';

import { AppError } from './errors.js';
import { ZTongxinClaims, type Principal, type Role } from './principal.js';

export interface AuthOptions {
  /** The gateway's JWKS endpoint (production). */
  jwksUrl?: string;
  /** Or a public key (JWK) or key set (JWKS) given directly (tests, single-key deployments). */
  publicJwk?: JWK | JSONWebKeySet;
  issuer: string;
  audience: string;
  /** Allowed clock skew, seconds (default 5). */
  clockToleranceSeconds?: number;
}

/** Verifies a compact JWS and returns the principal, or throws AppError 401. */
export type TokenVerifier = (token: string) => Promise<Principal>;

// EdDSA (RFC 8037) and its fully-specified name (RFC 9864). Nothing else: no HS*, no `none`.
const ALGORITHMS = ['EdDSA', 'Ed25519'];

export function createTokenVerifier(options: AuthOptions): TokenVerifier {
  let keys: JWTVerifyGetKey;
  if (options.jwksUrl) keys = createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.publicJwk) {
    const set = 'keys' in options.publicJwk ? options.publicJwk : { keys: [options.publicJwk] };
    keys = createLocalJWKSet(set);
  } else throw new Error('auth needs jwksUrl or publicJwk');
  return async (token) => {
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: ALGORITHMS,
        clockTolerance: options.clockToleranceSeconds ?? 5,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      throw AppError.unauthenticated(describeJoseError(error), true);
    }
    const claims = ZTongxinClaims.safeParse(payload);
    if (!claims.success) throw AppError.unauthenticated('The token does not carry valid Tongxin claims.', true);
    return claims.data;
  };
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (error instanceof joseErrors.JWTClaimValidationFailed)
    return `The token's "${error.claim}" claim is not accepted.`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'The token is not signed with an accepted algorithm.';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'The token signature is not valid.';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'The token was not signed by a known key.';
  return 'The token is not valid.';
}

/** `Authorization: Bearer <token>` → the token, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Authenticates the request and checks the route's roles. Missing/invalid token → 401 with
 * `WWW-Authenticate: Bearer`; a valid token without an allowed role → 403.
 */
export function requireRoles(verify: TokenVerifier | undefined, roles: readonly Role[]): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw AppError.unauthenticated('Send an access token: Authorization: Bearer <token>.', false);
    if (!verify) throw new Error('a protected route was called but the service has no auth configured');
    const principal = await verify(token);
    req.principal = principal;
    if (!principal.roles.some((role) => roles.includes(role))) {
      throw AppError.forbidden(`This operation needs one of the roles: ${roles.join(', ')}.`);
    }
    next();
  };
}
