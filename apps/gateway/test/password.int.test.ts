/**
 * Changing one's own password (POST /auth/password), on the gateway alone against the real
 * FerretDB: the new password logs in and the old one no longer does, every other login ends while
 * the caller gets a fresh one, a wrong current password is named beside its field and counts
 * towards the lockout, weak or unchanged new passwords are refused, and the audit trail records
 * the change without any password in it or in the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ADMIN, call, login, PASSWORD, startGateway, type RunningGateway } from './support/harness.js';

const ZH = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.5' };

describe('changing one’s own password', () => {
  let gw: RunningGateway;
  let admin: { access: string; refresh: string };
  const secrets: string[] = [ADMIN.password];

  /** A fresh facility-less account for one test (its own data: nothing shared between tests). */
  const newAccount = async (username: string) => {
    const password = PASSWORD(username);
    const res = await call(gw.url, 'POST', '/users', {
      token: admin.access,
      body: { username, password, name: '测试审计员', role: 'auditor' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    secrets.push(password);
    return password;
  };

  const change = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(gw.url, 'POST', '/auth/password', { token, body, headers });

  beforeAll(async () => {
    gw = await startGateway({ GATEWAY_LOCKOUT_ATTEMPTS: '3' });
    admin = await login(gw.url, ADMIN.username, ADMIN.password);
    secrets.push(admin.access, admin.refresh);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('when the current password is right, then the new one logs in, the old one not, and other logins end', async () => {
    const old = await newAccount('change-ok');
    const mine = await login(gw.url, 'change-ok', old);
    const other = await login(gw.url, 'change-ok', old);
    const fresh = PASSWORD('changed');
    secrets.push(fresh, mine.refresh, other.refresh);

    const res = await change(mine.access, { currentPassword: old, newPassword: fresh });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900 });
    secrets.push(res.body.accessToken, res.body.refreshToken);

    expect((await call(gw.url, 'GET', '/auth/me', { token: res.body.accessToken })).body.sub).toBe('change-ok');
    const wrongOld = await call(gw.url, 'POST', '/auth/login', { body: { username: 'change-ok', password: old } });
    expect(wrongOld.status).toBe(401);
    await login(gw.url, 'change-ok', fresh);

    // The other login's refresh token is refused; so is the caller's previous one: it got a new pair.
    for (const refreshToken of [other.refresh, mine.refresh]) {
      const refused = await call(gw.url, 'POST', '/auth/refresh', { body: { refreshToken } });
      expect(refused.status).toBe(401);
    }
    const kept = await call(gw.url, 'POST', '/auth/refresh', { body: { refreshToken: res.body.refreshToken } });
    expect(kept.status).toBe(200);
    secrets.push(kept.body.accessToken, kept.body.refreshToken);

    const stored = await gw.models.Users.findById('change-ok').lean();
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);

    const trail = await gw.audit.find({ user: 'change-ok' });
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ method: 'POST', path: '/auth/password', status: 200, target: 'gateway' });
    const entry = JSON.stringify(trail[0]);
    for (const secret of [old, fresh]) expect(entry).not.toContain(secret);
    expect((await gw.audit.verify()).ok).toBe(true);
  });

  it('when the current password is wrong, then 400 names currentPassword in Chinese and it counts towards the lockout', async () => {
    const old = await newAccount('change-wrong');
    const { access } = await login(gw.url, 'change-wrong', old);
    const fresh = PASSWORD('never');
    secrets.push(access, fresh);

    const wrong = await change(access, { currentPassword: 'Not-the-password-1', newPassword: fresh }, ZH);
    expect(wrong.status).toBe(400);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    expect(wrong.body).toMatchObject({ code: 'wrong_password', title: '当前密码不正确' });
    expect(wrong.body.errors).toEqual([
      { path: 'body.currentPassword', code: 'wrong_password', message: '当前密码不正确' },
    ]);
    const english = await change(access, { currentPassword: 'Not-the-password-2', newPassword: fresh });
    expect(english.body.errors[0]).toMatchObject({
      path: 'body.currentPassword',
      message: 'The current password is wrong',
    });
    expect((await gw.models.Users.findById('change-wrong').lean())?.failedLogins).toBe(2);

    // The third wrong password (GATEWAY_LOCKOUT_ATTEMPTS=3) locks the account, as three failed logins would.
    const third = await change(access, { currentPassword: 'Not-the-password-3', newPassword: fresh }, ZH);
    expect(third.status).toBe(423);
    expect(third.body).toMatchObject({ code: 'account_locked' });
    expect(third.body.errors[0].path).toBe('body.currentPassword');
    const locked = await call(gw.url, 'POST', '/auth/login', { body: { username: 'change-wrong', password: old } });
    expect(locked.status).toBe(423);

    const trail = await gw.audit.find({ user: 'change-wrong' });
    expect(trail.map((e) => e.status).sort()).toEqual([400, 400, 423]);
    // Nothing changed: once unlocked, the old password still works.
    expect((await call(gw.url, 'POST', '/users/change-wrong/unlock', { token: admin.access })).status).toBe(200);
    await login(gw.url, 'change-wrong', old);
  });

  it('when the new password is weak or unchanged, then 400 names newPassword and nothing changes', async () => {
    const old = await newAccount('change-weak');
    const { access, refresh } = await login(gw.url, 'change-weak', old);
    secrets.push(access, refresh);

    for (const [newPassword, message] of [
      ['short1', '密码至少需要 10 个字符'],
      ['onlyletterslong', '密码须同时包含字母和数字'],
      ['change-weak-2024', '密码不能包含用户名'],
    ] as const) {
      const res = await change(access, { currentPassword: old, newPassword }, ZH);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('weak_password');
      expect(res.body.errors).toEqual([{ path: 'body.newPassword', code: 'weak_password', message }]);
    }
    const same = await change(access, { currentPassword: old, newPassword: old });
    expect(same.status).toBe(400);
    expect(same.body).toMatchObject({ code: 'password_unchanged' });
    expect(same.body.errors[0].path).toBe('body.newPassword');

    // Refusals of the new password are not guesses of the current one: no failure counted, the login lives on.
    expect((await gw.models.Users.findById('change-weak').lean())?.failedLogins).toBe(0);
    expect((await call(gw.url, 'POST', '/auth/refresh', { body: { refreshToken: refresh } })).status).toBe(200);
    await login(gw.url, 'change-weak', old);
  });

  it('when there is no valid token or the body is not the expected one, then 401 or 400', async () => {
    const body = { currentPassword: 'Whatever-123', newPassword: 'Something-456' };
    const anonymous = await call(gw.url, 'POST', '/auth/password', { body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect((await change('not-a-jwt', body)).status).toBe(401);

    const old = await newAccount('change-input');
    const { access } = await login(gw.url, 'change-input', old);
    secrets.push(access);
    const extra = await change(access, { ...body, username: 'cityadmin' });
    expect(extra.status).toBe(400);
    expect(extra.body.code).toBe('validation_failed');
    const huge = await change(access, { currentPassword: old, newPassword: `Aa1${'x'.repeat(300)}` });
    expect(huge.status).toBe(400);
    expect(huge.body.errors[0].path).toBe('body.newPassword');
    const missing = await change(access, { currentPassword: old });
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].path).toBe('body.newPassword');
  });

  it('is in the OpenAPI document and no password reaches the log', async () => {
    const doc = await call(gw.url, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.paths['/auth/password']?.post).toBeDefined();

    const log = gw.logs.join('\n');
    expect(log.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
