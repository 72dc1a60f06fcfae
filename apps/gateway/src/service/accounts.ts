/**
 * Accounts and sessions: users with one role and a scope, argon2id passwords with a lockout,
 * short-lived access tokens (EdDSA JWT) and rotating refresh tokens (opaque, stored hashed, one
 * family per login; presenting a used token again revokes the whole family).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';

import { hash, verify } from '@node-rs/argon2';
import {
  AppError,
  ZTongxinClaims,
  type Department,
  type Language,
  type Principal,
  type Role,
  type TongxinClaims,
} from '@tongxin/service-kit';

import type { GatewayModels, UserDoc } from '../persistence/models.js';
import type { KeyStore } from './keys.js';
import { passwordProblem, passwordProblemText, refusal } from './policy.js';

export interface NewAccount {
  username: string;
  password: string;
  name: string;
  role: Role;
  regions?: string[] | undefined;
  facilities?: string[] | undefined;
  donorOrgs?: string[] | undefined;
  volunteerOrgs?: string[] | undefined;
  department?: Department | undefined;
  adminRegion?: string | undefined;
}

export interface TokenPair {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
}

export interface AccountsOptions {
  models: GatewayModels;
  keys: KeyStore;
  now: () => Date;
  lockoutAttempts: number;
  accessTtlSeconds: number;
  refreshTtlHours: number;
  /** Whether the caller (by its token) may see each facility; undefined when the facilities service is not routed. */
  checkFacilities?: ((token: string, ids: readonly string[]) => Promise<string | undefined>) | undefined;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const problem = (code: string, status: number, en: string, zh: string, detail?: string): AppError =>
  new AppError({ code, status, title: { en, zh }, detail: detail ?? en });

/** A problem about one field of the body: `errors` names it, so a form shows the message beside it. */
const fieldProblem = (
  code: string,
  status: number,
  title: { en: string; zh: string },
  field: string,
  message: { en: string; zh: string },
  lang: Language,
  detail?: string,
): AppError =>
  new AppError({
    code,
    status,
    title,
    detail: detail ?? message,
    extra: { errors: [{ path: `body.${field}`, code, message: message[lang] }] },
  });

const invalidCredentials = () => problem('invalid_credentials', 401, 'Wrong username or password', '用户名或密码错误');

export const refusedAccount = (detail: string) =>
  new AppError({
    code: 'account_not_allowed',
    status: 403,
    title: { en: 'You may not create or manage this account', zh: '您无权创建或管理该账号' },
    detail,
  });

// Compared against when the username is unknown, so both paths cost one argon2 verification.
let dummyHash: Promise<string> | undefined;

export function createAccounts(options: AccountsOptions) {
  const { Users, RefreshTokens } = options.models;

  function claimsOf(user: UserDoc): TongxinClaims {
    return {
      sub: user._id,
      name: user.name,
      roles: [user.role],
      regions: user.regions,
      facilities: user.facilities,
      donorOrgs: user.donorOrgs,
      volunteerOrgs: user.volunteerOrgs,
      ...(user.department ? { department: user.department } : {}),
    };
  }

  async function issue(user: UserDoc, family: string): Promise<TokenPair> {
    const claims = claimsOf(user);
    const accessToken = await options.keys.sign(
      {
        name: claims.name,
        roles: claims.roles,
        regions: claims.regions,
        facilities: claims.facilities,
        donorOrgs: claims.donorOrgs,
        volunteerOrgs: claims.volunteerOrgs,
        ...(claims.department ? { department: claims.department } : {}),
      },
      { subject: user._id, expiresInSeconds: options.accessTtlSeconds, jti: randomUUID() },
    );
    const refreshToken = randomBytes(32).toString('base64url');
    const now = options.now();
    await RefreshTokens.create({
      _id: sha256(refreshToken),
      family,
      userId: user._id,
      createdAt: now,
      expiresAt: new Date(now.getTime() + options.refreshTtlHours * 3600_000),
    });
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: options.accessTtlSeconds,
      refreshToken,
      refreshExpiresIn: options.refreshTtlHours * 3600,
    };
  }

  /** Counts one wrong password towards the lockout; true when this one locked the account. */
  async function failedAttempt(userId: string): Promise<boolean> {
    const after = await Users.findOneAndUpdate(
      { _id: userId },
      { $inc: { failedLogins: 1 } },
      { returnDocument: 'after' },
    ).lean<UserDoc>();
    if (after && after.failedLogins >= options.lockoutAttempts) {
      await Users.updateOne({ _id: userId }, { $set: { locked: true } });
      return true;
    }
    return false;
  }

  async function revokeFamily(family: string): Promise<void> {
    await RefreshTokens.updateMany({ family, revokedAt: null }, { $set: { revokedAt: options.now() } });
  }

  async function findManaged(actor: Principal, username: string): Promise<UserDoc> {
    const user = await Users.findById(username.toLowerCase()).lean<UserDoc>();
    // Accounts outside the actor's reach answer 404, like missing ones.
    if (!user || refusal(actor, { ...user, regions: user.regions }))
      throw AppError.notFound('No such account in your scope.');
    return user;
  }

  return {
    claimsOf,

    /** Verifies one of our own access tokens → the principal (401 otherwise). */
    async principal(token: string): Promise<Principal> {
      let payload: unknown;
      try {
        payload = await options.keys.verify(token);
      } catch {
        throw AppError.unauthenticated('The token is not valid (expired, forged or signed by an unknown key).', true);
      }
      const claims = ZTongxinClaims.safeParse(payload);
      if (!claims.success) throw AppError.unauthenticated('The token does not carry valid Tongxin claims.', true);
      return claims.data;
    },

    async login(username: string, password: string): Promise<TokenPair> {
      const user = await Users.findById(username.toLowerCase()).lean<UserDoc>();
      if (!user) {
        dummyHash ??= hash('not-a-real-password-0');
        await verify(await dummyHash, password).catch(() => false);
        throw invalidCredentials();
      }
      if (user.locked) {
        throw problem(
          'account_locked',
          423,
          'The account is locked',
          '账号已锁定',
          `The account was locked after ${options.lockoutAttempts} failed logins. Ask your administrator to unlock it.`,
        );
      }
      if (!(await verify(user.passwordHash, password).catch(() => false))) {
        if (await failedAttempt(user._id)) {
          throw problem(
            'account_locked',
            423,
            'The account is locked',
            '账号已锁定',
            `Too many failed logins (${options.lockoutAttempts}): the account is now locked. Ask your administrator to unlock it.`,
          );
        }
        throw invalidCredentials();
      }
      if (user.disabled) throw problem('account_disabled', 403, 'The account is disabled', '账号已停用');
      if (user.failedLogins > 0) await Users.updateOne({ _id: user._id }, { $set: { failedLogins: 0 } });
      return issue(user, randomUUID());
    },

    async refresh(refreshToken: string): Promise<TokenPair> {
      const id = sha256(refreshToken);
      const now = options.now();
      const stored = await RefreshTokens.findById(id).lean();
      if (!stored || stored.expiresAt <= now)
        throw problem('invalid_refresh_token', 401, 'The refresh token is not valid', '刷新令牌无效');
      // Exactly one exchange per token: the update only matches an unused, unrevoked token.
      const claimed = await RefreshTokens.findOneAndUpdate(
        { _id: id, usedAt: null, revokedAt: null },
        { $set: { usedAt: now } },
      ).lean();
      if (!claimed) {
        if (!stored.revokedAt) await revokeFamily(stored.family);
        throw problem(
          'refresh_token_reused',
          401,
          'The refresh token was already used',
          '刷新令牌已被使用',
          'This refresh token was already used or revoked: every session of this login has been ended. Log in again.',
        );
      }
      const user = await Users.findById(stored.userId).lean<UserDoc>();
      if (!user || user.disabled || user.locked) {
        await revokeFamily(stored.family);
        throw problem('invalid_refresh_token', 401, 'The refresh token is not valid', '刷新令牌无效');
      }
      return issue(user, stored.family);
    },

    /** Ends the login the refresh token belongs to (all its rotations). Unknown tokens are ignored. */
    async logout(refreshToken: string): Promise<void> {
      const stored = await RefreshTokens.findById(sha256(refreshToken)).lean();
      if (stored) await revokeFamily(stored.family);
    },

    /**
     * The signed-in user changes their own password. A wrong current password counts towards the
     * lockout like a failed login. On success every refresh token of the user is revoked (every
     * other login ends) and the caller gets a fresh login of its own: the returned pair.
     */
    async changePassword(
      userId: string,
      currentPassword: string,
      newPassword: string,
      lang: Language,
    ): Promise<TokenPair> {
      const user = await Users.findById(userId).lean<UserDoc>();
      if (!user) throw AppError.unauthenticated('The account of this token no longer exists.', true);
      if (user.disabled) throw problem('account_disabled', 403, 'The account is disabled', '账号已停用');
      const locked = { en: 'The account is locked', zh: '账号已锁定' };
      const lockedMessage = {
        en: 'The account is locked after too many wrong passwords. Ask your administrator to unlock it.',
        zh: '密码错误次数过多，账号已锁定，请联系管理员解锁。',
      };
      if (user.locked) throw fieldProblem('account_locked', 423, locked, 'currentPassword', lockedMessage, lang);
      const weak = passwordProblemText(newPassword, user._id);
      if (weak) {
        const title = { en: 'The password does not meet the policy', zh: '密码不符合要求' };
        throw fieldProblem('weak_password', 400, title, 'newPassword', weak, lang);
      }
      if (newPassword === currentPassword) {
        const same = { en: 'The new password must differ from the current one', zh: '新密码不能与当前密码相同' };
        throw fieldProblem('password_unchanged', 400, same, 'newPassword', same, lang);
      }
      if (!(await verify(user.passwordHash, currentPassword).catch(() => false))) {
        if (await failedAttempt(user._id))
          throw fieldProblem('account_locked', 423, locked, 'currentPassword', lockedMessage, lang);
        const wrong = { en: 'The current password is wrong', zh: '当前密码不正确' };
        throw fieldProblem('wrong_password', 400, wrong, 'currentPassword', wrong, lang);
      }
      // Only over the hash just verified: of two concurrent changes, the second is refused.
      const changed = await Users.updateOne(
        { _id: user._id, passwordHash: user.passwordHash },
        { $set: { passwordHash: await hash(newPassword), failedLogins: 0 } },
      );
      if (changed.modifiedCount !== 1)
        throw AppError.conflict({
          en: 'The password was changed at the same time elsewhere. Log in again.',
          zh: '密码已在别处同时被修改，请重新登录。',
        });
      await RefreshTokens.updateMany({ userId: user._id, revokedAt: null }, { $set: { revokedAt: options.now() } });
      return issue(user, randomUUID());
    },

    /** The first city administrator, on an empty database only. */
    async bootstrap(username: string | undefined, password: string | undefined): Promise<boolean> {
      if (!username || !password) return false;
      if ((await Users.estimatedDocumentCount()) > 0 || (await Users.countDocuments({})) > 0) return false;
      const bad = passwordProblem(password, username);
      if (bad) throw new Error(`GATEWAY_BOOTSTRAP_ADMIN_PASSWORD: ${bad}`);
      await Users.create({
        _id: username.toLowerCase(),
        name: '市级管理员',
        role: 'city_admin',
        passwordHash: await hash(password),
        createdBy: 'bootstrap',
      }).catch((error: unknown) => {
        if ((error as { code?: number }).code !== 11000) throw error; // another gateway was first
      });
      return true;
    },

    async create(actor: Principal, actorToken: string, input: NewAccount): Promise<UserDoc> {
      const username = input.username.toLowerCase();
      const scope = { ...input, regions: input.regions ?? [] };
      const why = refusal(actor, scope);
      if (why) throw refusedAccount(why);
      const bad = passwordProblem(input.password, username);
      if (bad) throw problem('weak_password', 400, 'The password does not meet the policy', '密码不符合要求', bad);
      if (input.role === 'facility_manager' && options.checkFacilities && !actor.roles.includes('city_admin')) {
        const outside = await options.checkFacilities(actorToken, input.facilities ?? []);
        if (outside) throw refusedAccount(`facility ${outside} is not one you can see`);
      }
      const doc = {
        _id: username,
        name: input.name,
        role: input.role,
        regions: input.regions ?? [],
        facilities: input.facilities ?? [],
        donorOrgs: input.donorOrgs ?? [],
        volunteerOrgs: input.volunteerOrgs ?? [],
        ...(input.department ? { department: input.department } : {}),
        ...(input.adminRegion ? { adminRegion: input.adminRegion } : {}),
        passwordHash: await hash(input.password),
        createdBy: actor.sub,
      };
      try {
        const created = await Users.create(doc);
        return created.toObject();
      } catch (error) {
        if ((error as { code?: number }).code === 11000) {
          throw problem('username_taken', 409, 'The username is taken', '用户名已被使用');
        }
        throw error;
      }
    },

    async list(actor: Principal): Promise<UserDoc[]> {
      const all = await Users.find({}).sort({ _id: 1 }).limit(1000).lean<UserDoc[]>();
      return all.filter((u) => u._id === actor.sub || !refusal(actor, u));
    },

    async setDisabled(actor: Principal, username: string, disabled: boolean): Promise<UserDoc> {
      const user = await findManaged(actor, username);
      await Users.updateOne({ _id: user._id }, { $set: { disabled } });
      if (disabled)
        await RefreshTokens.updateMany({ userId: user._id, revokedAt: null }, { $set: { revokedAt: options.now() } });
      return { ...user, disabled };
    },

    async unlock(actor: Principal, username: string): Promise<UserDoc> {
      const user = await findManaged(actor, username);
      await Users.updateOne({ _id: user._id }, { $set: { locked: false, failedLogins: 0 } });
      return { ...user, locked: false, failedLogins: 0 };
    },

    async resetPassword(actor: Principal, username: string, password: string): Promise<UserDoc> {
      const user = await findManaged(actor, username);
      const bad = passwordProblem(password, user._id);
      if (bad) throw problem('weak_password', 400, 'The password does not meet the policy', '密码不符合要求', bad);
      await Users.updateOne(
        { _id: user._id },
        { $set: { passwordHash: await hash(password), locked: false, failedLogins: 0 } },
      );
      await RefreshTokens.updateMany({ userId: user._id, revokedAt: null }, { $set: { revokedAt: options.now() } });
      return { ...user, locked: false, failedLogins: 0 };
    },
  };
}
export type Accounts = ReturnType<typeof createAccounts>;
