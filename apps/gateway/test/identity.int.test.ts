/**
 * Sessions, lockout, limits and hostile input, on the gateway alone (no upstream needed):
 * refresh rotation with reuse detection, logout, lockout + unlock, 429 + Retry-After, and clean
 * 4xx problems for malformed JSON, huge headers, forged/unsigned/expired tokens and operator
 * injection — with nothing secret in the log.
 */
import { randomUUID } from 'node:crypto';

import { createTestIssuer, unsignedToken } from '@tongxin/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, call, login, PASSWORD, startGateway, type RunningGateway } from './support/harness.js';

describe('gateway identity, limits and input', () => {
  let gw: RunningGateway;
  let admin: { access: string; refresh: string };
  const secrets: string[] = [ADMIN.password];

  const newOfficer = async (username: string, password: string) => {
    const res = await call(gw.url, 'POST', '/users', {
      token: admin.access,
      body: {
        username,
        password,
        name: '测试乡镇干部',
        role: 'township_officer',
        regions: ['430626101'],
        adminRegion: '430626101',
        department: 'civil_affairs',
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    secrets.push(password);
  };

  beforeAll(async () => {
    gw = await startGateway({ GATEWAY_RATE_LIMIT_USER_PER_MINUTE: '25', GATEWAY_LOCKOUT_ATTEMPTS: '3' });
    admin = await login(gw.url, ADMIN.username, ADMIN.password);
    secrets.push(admin.access, admin.refresh);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('publishes the JWKS and issues 15-minute EdDSA tokens with the principal claims', async () => {
    const jwks = await call(gw.url, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys).toHaveLength(1);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(jwks.body.keys[0].d).toBeUndefined();
    const [header, payload] = admin.access
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toMatchObject({ alg: 'EdDSA', kid: jwks.body.keys[0].kid });
    expect(payload).toMatchObject({ sub: ADMIN.username, roles: ['city_admin'], iss: 'https://gateway.tongxin.test' });
    expect(payload.exp - payload.iat).toBe(900);
  });

  it('rotates refresh tokens; reusing one revokes the whole family; logout ends the login', async () => {
    const password = PASSWORD('a');
    await newOfficer('rotation-user', password);
    const first = await login(gw.url, 'rotation-user', password);
    const second = await call(gw.url, 'POST', '/auth/refresh', { body: { refreshToken: first.refresh } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refresh);
    secrets.push(first.refresh, second.body.refreshToken, second.body.accessToken);

    const reused = await call(gw.url, 'POST', '/auth/refresh', { body: { refreshToken: first.refresh } });
    expect(reused.status).toBe(401);
    expect(reused.body.code).toBe('refresh_token_reused');
    // The newest token of the family is revoked too.
    const afterReuse = await call(gw.url, 'POST', '/auth/refresh', {
      body: { refreshToken: second.body.refreshToken },
    });
    expect(afterReuse.status).toBe(401);

    const other = await login(gw.url, 'rotation-user', password);
    expect((await call(gw.url, 'POST', '/auth/logout', { body: { refreshToken: other.refresh } })).status).toBe(204);
    const afterLogout = await call(gw.url, 'POST', '/auth/refresh', { body: { refreshToken: other.refresh } });
    expect(afterLogout.status).toBe(401);
  });

  it('locks an account after the configured failures, says so, and unlocks', async () => {
    const password = PASSWORD('b');
    await newOfficer('lockout-user', password);
    for (let i = 1; i <= 2; i += 1) {
      const wrong = await call(gw.url, 'POST', '/auth/login', {
        body: { username: 'lockout-user', password: `wrong-${i}-password` },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('invalid_credentials');
    }
    const third = await call(gw.url, 'POST', '/auth/login', {
      body: { username: 'lockout-user', password: 'wrong-3-password' },
    });
    expect(third.status).toBe(423);
    expect(third.body).toMatchObject({ code: 'account_locked' });
    expect(third.body.detail).toMatch(/locked/);
    const right = await call(gw.url, 'POST', '/auth/login', { body: { username: 'lockout-user', password } });
    expect(right.status).toBe(423);

    const unlocked = await call(gw.url, 'POST', '/users/lockout-user/unlock', { token: admin.access });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.locked).toBe(false);
    await login(gw.url, 'lockout-user', password);

    const disabled = await call(gw.url, 'POST', '/users/lockout-user/disable', { token: admin.access });
    expect(disabled.status).toBe(200);
    const refused = await call(gw.url, 'POST', '/auth/login', { body: { username: 'lockout-user', password } });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('account_disabled');
  });

  it('enforces the password policy', async () => {
    for (const [password, why] of [
      ['short1', /10/],
      ['onlyletterslong', /letters and digits/],
      ['policy-user-2024', /username/],
    ] as const) {
      const res = await call(gw.url, 'POST', '/users', {
        token: admin.access,
        body: { username: 'policy-user', password, name: '某', role: 'auditor' },
      });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(why);
    }
  });

  it('answers 429 with Retry-After when one account sends too many requests', async () => {
    const password = PASSWORD('c');
    await newOfficer('busy-user', password);
    const { access } = await login(gw.url, 'busy-user', password);
    let last = await call(gw.url, 'GET', '/auth/me', { token: access });
    for (let i = 0; i < 30 && last.status === 200; i += 1)
      last = await call(gw.url, 'GET', '/auth/me', { token: access });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.headers.get('content-type')).toContain('application/problem+json');
    expect(last.body.code).toBe('rate_limited');
  });

  it('refuses hostile input with clean 4xx problems and logs no secret', async () => {
    const problem = (res: { status: number; headers: Headers }, status: number) => {
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    };
    problem(await call(gw.url, 'POST', '/auth/login', { body: '{"username": "cityadmin", "password": ' }), 400);
    const injection = await call(gw.url, 'POST', '/auth/login', {
      body: { username: { $gt: '' }, password: { $gt: '' } },
    });
    problem(injection, 400);
    expect(injection.body.code).toBe('validation_failed');

    const huge = await call(gw.url, 'GET', '/auth/me', { headers: { 'x-padding': 'a'.repeat(40_000) } });
    expect([400, 431]).toContain(huge.status);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');

    const claims = { sub: ADMIN.username, name: '伪造', roles: ['city_admin' as const] };
    const none = unsignedToken({
      ...claims,
      iss: 'https://gateway.tongxin.test',
      aud: 'tongxin',
      exp: Math.floor(Date.now() / 1000) + 600,
    });
    const foreign = await (await createTestIssuer({ issuer: 'https://gateway.tongxin.test' })).sign(claims);
    const expired = await gw.keys.sign(
      { name: '过期', roles: ['city_admin'] },
      { subject: ADMIN.username, expiresInSeconds: -120, jti: randomUUID() },
    );
    for (const token of [none, foreign, expired, 'not-a-jwt']) {
      for (const path of ['/auth/me', '/users', '/api/registry/children']) {
        const res = await call(gw.url, 'GET', path, { token });
        problem(res, 401);
        expect(res.headers.get('www-authenticate')).toContain('invalid_token');
      }
    }
    expect((await call(gw.url, 'GET', '/api/nowhere/x', { token: admin.access })).status).toBe(404);

    const log = gw.logs.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [...secrets, none, foreign, expired]) expect(log).not.toContain(secret);
  });
});
