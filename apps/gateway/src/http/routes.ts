/**
 * The gateway's HTTP surface. Its own routes are declared `auth: 'public'` for service-kit and
 * authenticated here (`authenticate`), because the gateway verifies with its live key store —
 * which rotates — rather than a fixed JWKS.
 */
import { ZPasswordChange } from '@tongxin/contracts/gateway/api';
import {
  AppError,
  bearerToken,
  defineRoute,
  ZDepartment,
  ZRole,
  type Principal,
  type Role,
} from '@tongxin/service-kit';
import ExcelJS from 'exceljs';
import type { Request } from 'express';
import { z } from 'zod';

import { UPSTREAM_NAMES, type UpstreamName } from '../config.js';
import type { UserDoc } from '../persistence/models.js';
import type { Accounts } from '../service/accounts.js';
import type { AuditChain, AuditFilter } from '../service/audit-chain.js';
import type { KeyStore } from '../service/keys.js';
import type { RateLimiter } from './limits.js';
import { clientIp } from './limits.js';
import { combinedDocsPage, type Proxy } from './proxy.js';

export interface GatewayContext {
  accounts: Accounts;
  keys: KeyStore;
  audit: AuditChain;
  proxy: Proxy;
  userLimit: RateLimiter;
  loginLimit: RateLimiter;
}

const ZUsername = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{2,31}$/, '3–32 letters, digits, ".", "_" or "-"');
const ZRegionPrefix = z.string().regex(/^\d{2,12}$/, 'a region code prefix of 2 to 12 digits');
const ZScopeId = z.string().min(1).max(64);
const ZRefresh = z.object({ refreshToken: z.string().min(20).max(200) });
const ZUserParams = z.object({ username: ZUsername });

/** Refusals of a password change that are attempts on the account: the audit trail keeps them too. */
const ATTEMPT_CODES = new Set(['wrong_password', 'account_locked']);

const CREATORS: readonly [Role, ...Role[]] = ['city_admin', 'county_officer', 'township_officer'];

function purposeOf(req: Request): string | undefined {
  const header = req.get('x-purpose');
  if (!header) return undefined;
  try {
    return decodeURIComponent(header).slice(0, 200);
  } catch {
    return header.slice(0, 200);
  }
}

export function userView(user: UserDoc) {
  return {
    username: user._id,
    name: user.name,
    role: user.role,
    regions: user.regions,
    facilities: user.facilities,
    donorOrgs: user.donorOrgs,
    volunteerOrgs: user.volunteerOrgs,
    ...(user.department ? { department: user.department } : {}),
    ...(user.adminRegion ? { adminRegion: user.adminRegion } : {}),
    disabled: user.disabled ?? false,
    locked: user.locked ?? false,
    createdBy: user.createdBy,
  };
}

const METHOD_ACTION = {
  GET: 'read',
  HEAD: 'read',
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
} as const;

/** The child a gateway path is about: the segment after `children` (registry and facilities alike). */
export function childOf(path: string): { touchesChild: boolean; childId?: string } {
  const segments = path.split('/').filter(Boolean);
  const at = segments.indexOf('children');
  if (at < 0) return { touchesChild: false };
  const next = segments[at + 1];
  return next ? { touchesChild: true, childId: decodeURIComponent(next).slice(0, 64) } : { touchesChild: true };
}

export function gatewayRoutes(ctx: GatewayContext) {
  const { accounts, keys, audit, proxy } = ctx;

  /** The caller of a gateway route: 401 without a valid token, 403 without one of `roles`. */
  async function authenticate(req: Request, roles?: readonly Role[]): Promise<{ principal: Principal; token: string }> {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw AppError.unauthenticated('Send an access token: Authorization: Bearer <token>.', false);
    const principal = await accounts.principal(token);
    ctx.userLimit.hit(principal.sub);
    if (roles && !principal.roles.some((r) => roles.includes(r))) {
      throw AppError.forbidden(`This operation needs one of the roles: ${roles.join(', ')}.`);
    }
    return { principal, token };
  }

  const recordAdmin = (req: Request, principal: Principal, status: number) =>
    audit.append({
      user: principal.sub,
      roles: principal.roles,
      method: req.method,
      path: req.path,
      status,
      ...(purposeOf(req) ? { purpose: purposeOf(req)! } : {}),
      action: 'admin',
      target: 'gateway',
      requestId: req.requestId ?? 'none',
    });

  const jwks = defineRoute({
    method: 'get',
    path: '/.well-known/jwks.json',
    summary: 'Public keys of the access tokens (current and previous)',
    tags: ['identity'],
    auth: 'public',
    handler: async ({ res }) => {
      res.setHeader('Cache-Control', 'public, max-age=60');
      return keys.jwks();
    },
  });

  const login = defineRoute({
    method: 'post',
    path: '/auth/login',
    summary: 'Log in (登录): username + password → access token (15 min) + refresh token',
    tags: ['identity'],
    body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) }),
    auth: 'public',
    status: 200,
    handler: async ({ body, req }) => {
      ctx.loginLimit.hit(`${clientIp(req)}|${body.username.toLowerCase()}`);
      return accounts.login(body.username, body.password);
    },
  });

  const refresh = defineRoute({
    method: 'post',
    path: '/auth/refresh',
    summary: 'Exchange a refresh token for new tokens (the old one stops working)',
    tags: ['identity'],
    body: ZRefresh,
    auth: 'public',
    status: 200,
    handler: async ({ body, req }) => {
      ctx.loginLimit.hit(`${clientIp(req)}|refresh`);
      return accounts.refresh(body.refreshToken);
    },
  });

  const logout = defineRoute({
    method: 'post',
    path: '/auth/logout',
    summary: 'Log out: ends this login (every refresh token of it)',
    tags: ['identity'],
    body: ZRefresh,
    auth: 'public',
    status: 204,
    handler: async ({ body }) => {
      await accounts.logout(body.refreshToken);
    },
  });

  const changePassword = defineRoute({
    method: 'post',
    path: '/auth/password',
    summary:
      'Change my password (修改密码): `{ currentPassword, newPassword }` → new tokens for this login; every other login ends',
    tags: ['identity'],
    body: ZPasswordChange,
    auth: 'public',
    status: 200,
    handler: async ({ req, body, lang }) => {
      const { principal } = await authenticate(req);
      // Guessing the current password is guessing a login: the same limit and the same lockout.
      ctx.loginLimit.hit(`${clientIp(req)}|${principal.sub}`);
      try {
        const tokens = await accounts.changePassword(principal.sub, body.currentPassword, body.newPassword, lang);
        await recordAdmin(req, principal, 200);
        return tokens;
      } catch (error) {
        if (error instanceof AppError && ATTEMPT_CODES.has(error.code)) await recordAdmin(req, principal, error.status);
        throw error;
      }
    },
  });

  const me = defineRoute({
    method: 'get',
    path: '/auth/me',
    summary: 'Who am I (the claims of my token)',
    tags: ['identity'],
    auth: 'public',
    handler: async ({ req }) => (await authenticate(req)).principal,
  });

  const createUser = defineRoute({
    method: 'post',
    path: '/users',
    summary: 'Create an account (who may create whom: README)',
    tags: ['accounts'],
    body: z.object({
      username: ZUsername,
      password: z.string().min(1).max(256),
      name: z.string().min(1).max(64),
      role: ZRole,
      regions: z.array(ZRegionPrefix).max(50).optional(),
      facilities: z.array(ZScopeId).max(50).optional(),
      donorOrgs: z.array(ZScopeId).max(50).optional(),
      volunteerOrgs: z.array(ZScopeId).max(50).optional(),
      department: ZDepartment.optional(),
      adminRegion: ZRegionPrefix.optional(),
    }),
    auth: 'public',
    handler: async ({ req, body }) => {
      const { principal, token } = await authenticate(req, CREATORS);
      const user = await accounts.create(principal, token, body);
      await recordAdmin(req, principal, 201);
      return userView(user);
    },
  });

  const listUsers = defineRoute({
    method: 'get',
    path: '/users',
    summary: 'The accounts you manage',
    tags: ['accounts'],
    auth: 'public',
    handler: async ({ req }) => {
      const { principal } = await authenticate(req, CREATORS);
      return { items: (await accounts.list(principal)).map(userView) };
    },
  });

  const manage = (
    path: string,
    summary: string,
    act: (p: Principal, username: string, body: { password?: string }) => Promise<UserDoc>,
    body?: z.ZodObject,
  ) =>
    defineRoute({
      method: 'post',
      path: `/users/:username/${path}`,
      summary,
      tags: ['accounts'],
      params: ZUserParams,
      ...(body ? { body } : {}),
      auth: 'public',
      status: 200,
      handler: async ({ req, params, body: input }) => {
        const { principal } = await authenticate(req, CREATORS);
        const user = await act(principal, params.username, (input ?? {}) as { password?: string });
        await recordAdmin(req, principal, 200);
        return userView(user);
      },
    });

  const disable = manage('disable', 'Disable an account (its refresh tokens are revoked)', (p, u) =>
    accounts.setDisabled(p, u, true),
  );
  const enable = manage('enable', 'Enable a disabled account', (p, u) => accounts.setDisabled(p, u, false));
  const unlock = manage('unlock', 'Unlock an account locked by failed logins', (p, u) => accounts.unlock(p, u));
  const reset = manage(
    'password',
    'Set a new password (unlocks; ends its logins)',
    (p, u, b) => accounts.resetPassword(p, u, b.password ?? ''),
    z.object({ password: z.string().min(1).max(256) }),
  );

  const rotate = defineRoute({
    method: 'post',
    path: '/admin/keys/rotate',
    summary: 'Rotate the signing key (the previous key stays published)',
    tags: ['identity'],
    auth: 'public',
    status: 200,
    handler: async ({ req }) => {
      const { principal } = await authenticate(req, ['city_admin']);
      const rotated = await keys.rotate();
      await recordAdmin(req, principal, 200);
      return rotated;
    },
  });

  const ZAuditQuery = z.object({
    childId: z.string().min(1).max(64).optional(),
    user: z.string().min(1).max(64).optional(),
    action: z.enum(['read', 'create', 'update', 'delete', 'admin']).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  });
  const filterOf = (q: z.output<typeof ZAuditQuery>): AuditFilter => ({
    childId: q.childId,
    user: q.user,
    action: q.action,
    from: q.from ? new Date(q.from) : undefined,
    to: q.to ? new Date(q.to) : undefined,
  });
  const entryView = (e: Awaited<ReturnType<AuditChain['find']>>[number]) => ({
    seq: e._id,
    at: e.at.toISOString(),
    user: e.user,
    roles: e.roles,
    method: e.method,
    path: e.path,
    status: e.status,
    purpose: e.purpose ?? null,
    action: e.action,
    target: e.target,
    childId: e.childId ?? null,
    requestId: e.requestId,
    hash: e.hash,
  });

  const auditList = defineRoute({
    method: 'get',
    path: '/audit',
    summary: 'Search the audit trail (newest first, at most 500)',
    tags: ['audit'],
    query: ZAuditQuery,
    auth: 'public',
    handler: async ({ req, query }) => {
      await authenticate(req, ['auditor']);
      return { items: (await audit.find(filterOf(query))).map(entryView) };
    },
  });

  const auditExport = defineRoute({
    method: 'get',
    path: '/audit/export.xlsx',
    summary: 'The same search as an Excel workbook',
    tags: ['audit'],
    query: ZAuditQuery,
    auth: 'public',
    handler: async ({ req, res, query }) => {
      await authenticate(req, ['auditor']);
      const entries = (await audit.find({ ...filterOf(query), limit: 50_000 })).map(entryView);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('审计日志');
      sheet.columns = [
        { header: '序号 seq', key: 'seq', width: 8 },
        { header: '时间 time', key: 'at', width: 26 },
        { header: '用户 user', key: 'user', width: 18 },
        { header: '角色 roles', key: 'roles', width: 18 },
        { header: '方法 method', key: 'method', width: 8 },
        { header: '路径 path', key: 'path', width: 50 },
        { header: '状态 status', key: 'status', width: 8 },
        { header: '目的 purpose', key: 'purpose', width: 30 },
        { header: '儿童 childId', key: 'childId', width: 40 },
        { header: '哈希 hash', key: 'hash', width: 66 },
      ];
      for (const e of entries)
        sheet.addRow({ ...e, roles: e.roles.join(','), purpose: e.purpose ?? '', childId: e.childId ?? '' });
      res
        .status(200)
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .setHeader('Content-Disposition', 'attachment; filename="audit.xlsx"')
        .send(Buffer.from(await workbook.xlsx.writeBuffer()));
    },
  });

  const auditVerify = defineRoute({
    method: 'get',
    path: '/audit/verify',
    summary: 'Walk the hash chain; names the first broken entry',
    tags: ['audit'],
    auth: 'public',
    handler: async ({ req }) => {
      await authenticate(req, ['auditor']);
      return audit.verify();
    },
  });

  const docs = defineRoute({
    method: 'get',
    path: '/api/docs',
    summary: 'Every service’s API, as routed by the gateway (fetched now)',
    tags: ['routing'],
    auth: 'public',
    handler: async ({ res }) => {
      res.type('html').send(combinedDocsPage(await proxy.openApis()));
    },
  });

  const docsJson = defineRoute({
    method: 'get',
    path: '/api/docs.json',
    summary: 'Every service’s OpenAPI document, keyed by service',
    tags: ['routing'],
    auth: 'public',
    handler: async () => proxy.openApis(),
  });

  const proxied = (['get', 'post', 'put', 'patch', 'delete'] as const).map((method) =>
    defineRoute({
      method,
      path: '/api/:upstream{/*rest}',
      summary: `Forwarded to the service (${UPSTREAM_NAMES.join(', ')})`,
      tags: ['routing'],
      query: z.looseObject({}),
      auth: 'public',
      requiresDatabase: true,
      handler: async ({ req, res }) => {
        const name = req.params.upstream as UpstreamName;
        if (!UPSTREAM_NAMES.includes(name)) throw AppError.notFound(`No service is routed at /api/${String(name)}.`);
        const { principal } = await authenticate(req);
        const prefix = `/api/${name}`;
        const target = req.originalUrl.slice(prefix.length) || '/';
        const path = req.path;
        const { touchesChild, childId } = childOf(path.slice(prefix.length));
        const write = req.method !== 'GET' && req.method !== 'HEAD';
        const purpose = purposeOf(req);
        await proxy.forward(req, res, {
          name,
          target: target.startsWith('/') ? target : `/${target}`,
          ...(touchesChild || write
            ? {
                onResponse: async (status: number) => {
                  await audit.append({
                    user: principal.sub,
                    roles: principal.roles,
                    method: req.method,
                    path,
                    status,
                    ...(purpose ? { purpose } : {}),
                    action: METHOD_ACTION[req.method as keyof typeof METHOD_ACTION] ?? 'read',
                    target: name,
                    ...(childId ? { childId } : {}),
                    requestId: req.requestId ?? 'none',
                  });
                },
              }
            : {}),
        });
      },
    }),
  );

  return [
    jwks,
    login,
    refresh,
    logout,
    changePassword,
    me,
    createUser,
    listUsers,
    disable,
    enable,
    unlock,
    reset,
    rotate,
    auditList,
    auditExport,
    auditVerify,
    docs,
    docsJson,
    ...proxied,
  ];
}
