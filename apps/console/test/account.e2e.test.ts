/**
 * "Everyone: change password" in a real browser (Debian's Chromium through playwright-core), on
 * the console served by the gateway of a whole launched platform: a user opens the profile page
 * from the shell, a wrong current password shows the gateway's message (in Chinese) beside that
 * field, a mismatched confirmation is caught in the page, the change succeeds, and after logging
 * out only the new password logs in. The profile page's screenshot goes into
 * apps/console/.artifacts/.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { launchPlatform, type LaunchedPlatform } from '@tongxin/local-stack';
import { kafkaBrokers, mongodbUri } from '@tongxin/testkit';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ARTIFACTS, buildConsole, client, password } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DESKTOP = { width: 1366, height: 860 };

describe('changing one’s password in the console', () => {
  let platform: LaunchedPlatform | undefined;
  let browser: Browser;
  let context: BrowserContext | undefined;
  let api: ReturnType<typeof client>;
  const user = { username: `pw-auditor-${randomBytes(3).toString('hex')}`, password: password() };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const launch = async () => {
      const consoleDir = await buildConsole();
      return launchPlatform({
        consumersFrom: 'now',
        kafkaBrokers: kafkaBrokers().join(','),
        mongodbUri: mongodbUri(),
        databasePrefix: `account_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`,
        serviceEnv: { gateway: { GATEWAY_CONSOLE_DIR: consoleDir, GATEWAY_RATE_LIMIT_IP_PER_MINUTE: '5000' } },
      });
    };
    const [p, b] = await Promise.all([
      launch(),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] }),
    ]);
    platform = p;
    browser = b;
    api = client(p.gatewayUrl);
    // Its own account, made through the gateway as the bootstrapped city administrator.
    const admin = await api.login(p.admin.username, p.admin.password);
    const created = await api.call('POST', '/users', {
      token: admin,
      body: { ...user, name: '市审计室 王审计', role: 'auditor' },
    });
    if (created.status !== 201)
      throw new Error(`create ${user.username}: ${created.status} ${JSON.stringify(created.body)}`);
  }, 540_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close();
    await platform?.dispose();
  });

  async function logIn(page: Page, pw: string) {
    await page.getByLabel('用户名').fill(user.username);
    await page.getByLabel('密码', { exact: true }).fill(pw);
    await page.getByRole('button', { name: /登\s*录/ }).click();
  }

  const fieldError = (page: Page, testId: string) =>
    page
      .getByTestId('change-password')
      .locator('.ant-form-item')
      .filter({ has: page.getByTestId(testId) })
      .locator('.ant-form-item-explain-error');

  it('a user changes the password on the profile page, then logs in with the new one only', async () => {
    context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    const base = platform!.gatewayUrl;

    await page.goto(`${base}/`);
    await page.waitForURL(/\/login$/);
    await logIn(page, user.password);
    await page.waitForURL(/\/audit-trail$/);
    // Everyone reaches the profile from the shell's menu.
    await page.getByTestId('role-menu').getByText('个人信息').click();
    await page.waitForURL(/\/profile$/);
    await page.getByTestId('change-password').waitFor();

    const fresh = password();
    // A wrong current password: the gateway's message, in Chinese, beside the current-password field.
    await page.getByTestId('current-password').fill('Not-my-password-1');
    await page.getByTestId('new-password').fill(fresh);
    await page.getByTestId('confirm-password').fill(fresh);
    await page.getByTestId('change-password-submit').click();
    const wrong = fieldError(page, 'current-password');
    await wrong.waitFor();
    expect(await wrong.textContent()).toBe('当前密码不正确');
    expect(await fieldError(page, 'new-password').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'profile-wrong-password.png'), fullPage: true });

    // A confirmation that differs is caught in the page, before any request.
    await page.getByTestId('current-password').fill(user.password);
    await page.getByTestId('confirm-password').fill(`${fresh}x`);
    await page.getByTestId('change-password-submit').click();
    const mismatch = fieldError(page, 'confirm-password');
    await mismatch.waitFor();
    expect(await mismatch.textContent()).toBe('两次输入的新密码不一致');

    await page.getByTestId('confirm-password').fill(fresh);
    await page.getByTestId('change-password-submit').click();
    await page.getByTestId('password-changed').waitFor();
    expect(await page.getByTestId('password-changed').textContent()).toContain('密码已修改');
    await page.screenshot({ path: join(ARTIFACTS, 'profile.png'), fullPage: true });

    // The session the page holds now is the re-issued one: it still works after the change.
    await page.reload();
    await page.getByTestId('change-password').waitFor();
    expect(page.url()).toMatch(/\/profile$/);

    // What the gateway stored: the old password no longer logs in, the new one does.
    const old = await api.call('POST', '/auth/login', { body: { username: user.username, password: user.password } });
    expect(old.status).toBe(401);
    expect(typeof (await api.login(user.username, fresh))).toBe('string');

    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL(/\/login$/);
    await logIn(page, user.password);
    await page.getByTestId('login-error').waitFor();
    await logIn(page, fresh);
    await page.waitForURL(/\/audit-trail$/);
  });
});
