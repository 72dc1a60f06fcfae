/**
 * The console in a real browser (Debian's Chromium through playwright-core), served by the gateway
 * of a whole launched platform: the journeys of a facility manager on a phone (online and
 * offline), a charity, a township officer, a county officer, and the language switch. Each asserts
 * what the user sees and what the services stored. Screenshots of each role's main page are saved
 * into apps/console/.artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { isbn13CheckDigit } from '@tongxin/contracts/values';
import { waitFor } from '@tongxin/testkit';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ARTIFACTS, browserPages, createWorld, disposeWorld, FUSHOU_VILLAGE, type World } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 860 };

describe('the console in a browser', () => {
  let world: World;
  let browser: Browser;
  const pages = browserPages(
    () => browser,
    () => world.platform.gatewayUrl,
  );
  const { open, logIn } = pages;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const [w, b] = await Promise.all([
      createWorld(),
      chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] }),
    ]);
    world = w;
    browser = b;
  }, 540_000);
  afterAll(async () => {
    await pages.close();
    await browser?.close();
    await disposeWorld(world);
  });

  const activities = async () => {
    const res = await world.api.call('GET', `/api/facilities/facilities/${world.facility.id}/activities`, {
      token: world.tokens.manager,
    });
    expect(res.status).toBe(200);
    return res.body.items as { id: string; title: string; attendeeChildIds: string[] }[];
  };

  async function fillActivity(page: Page, title: string) {
    await page.getByTestId('activity-title').fill(title);
    for (const child of world.children) await page.getByText(child.name, { exact: true }).click();
    await expect(page.getByText('已选 3 人')).toBeTruthy();
    await page.getByText('已选 3 人').waitFor();
  }

  /** A second home in 福寿村 (besides the world's), known to the donations service when this returns. */
  async function openSecondHome(tag: string): Promise<{ id: string; name: string }> {
    const name = `福寿村儿童之家${tag}-${Date.now().toString(36)}`;
    const opened = await world.api.call('POST', '/api/facilities/facilities', {
      token: world.tokens.county,
      body: {
        code: `PJ-${tag}${Date.now().toString(36).slice(-5)}`,
        name,
        kind: 'village_based',
        regionCode: FUSHOU_VILLAGE,
        address: '平江县安定镇福寿村村部',
        openedOn: '2018-03-01',
        managers: [],
        openingHours: '周日 9:00-11:00',
        capacity: 20,
      },
    });
    expect(opened.status).toBe(201);
    await waitFor(
      async () => {
        const homes = await world.api.call('GET', '/api/donations/homes', { token: world.tokens.charity });
        return (homes.body.items as { id: string }[]).some((h) => h.id === opened.body.id);
      },
      { timeoutMs: 60_000, intervalMs: 500, message: `home ${name} known to donations` },
    );
    return { id: opened.body.id as string, name };
  }

  /** The charity opens a donation by its receipt number and chooses the world's home and `second` at once. */
  async function allocateToBoth(receiptNumber: string, second: string) {
    const page = await open(DESKTOP);
    await logIn(page, world.accounts.charity, /\/donations$/);
    await page.getByRole('row', { name: new RegExp(receiptNumber) }).click();
    const detail = page.getByTestId('donation-detail');
    await detail.waitFor();
    await detail.getByTestId('several-recipients').click();
    await detail.getByTestId('recipients').click();
    await page.locator('.ant-select-item-option', { hasText: world.facility.name }).click();
    await page.locator('.ant-select-item-option', { hasText: second }).click();
    await page.keyboard.press('Escape');
    return { page, detail };
  }

  /** A donation of the world's charity, received on 1 June. */
  async function donate(body: Record<string, unknown>) {
    const res = await world.api.call('POST', '/api/donations/donations', {
      token: world.tokens.charity,
      body: { donorId: world.donorId, purpose: 'restricted', receivedOn: '2026-06-01', ...body },
    });
    expect(res.status).toBe(201);
    return res.body as { id: string; receiptNumber: string; lines: { lineId: string }[] };
  }

  let managerPage: Page;

  it('1. a facility manager on a phone logs an activity with three children and sees it in the list', async () => {
    const page = await open(PHONE, true);
    managerPage = page;
    await logIn(page, world.accounts.manager, /\/facility$/);
    await page.getByTestId('my-home').getByText(world.facility.name).waitFor();
    await page.getByText(world.children[0]!.name, { exact: true }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'facility-manager.png'), fullPage: true });

    const title = `读书会 ${Date.now().toString(36)}`;
    await fillActivity(page, title);
    await page.getByTestId('log-activity').click();

    const item = page.getByTestId('activity-item').filter({ hasText: title });
    await item.waitFor();
    for (const child of world.children) expect(await item.textContent()).toContain(child.name);
    const stored = (await activities()).filter((a) => a.title === title);
    expect(stored).toHaveLength(1);
    expect([...stored[0]!.attendeeChildIds].sort()).toEqual(world.children.map((c) => c.id).sort());
    await page.screenshot({ path: join(ARTIFACTS, 'facility-manager-logged.png'), fullPage: true });
  });

  it('2. offline, the activity waits visibly in the queue and is stored once when the connection returns', async () => {
    const page = managerPage;
    const context = page.context();
    const title = `离线亲情通话 ${Date.now().toString(36)}`;
    await context.setOffline(true);
    await page.getByTestId('offline-banner').waitFor();
    await fillActivity(page, title);
    await page.getByTestId('log-activity').click();

    const queued = page.getByTestId('queued-item').filter({ hasText: title });
    await queued.waitFor();
    expect(await page.getByTestId('queue').textContent()).toContain(title);
    const kept = await page.evaluate(() => localStorage.getItem('tongxin.activityQueue'));
    expect(JSON.parse(kept ?? '[]')).toEqual([expect.objectContaining({ body: expect.objectContaining({ title }) })]);
    await page.screenshot({ path: join(ARTIFACTS, 'facility-manager-offline.png'), fullPage: true });
    expect((await activities()).filter((a) => a.title === title)).toHaveLength(0);

    await context.setOffline(false);
    // Sent on the browser's `online` event (or the queue's next 10-second tick on a busy machine).
    await waitFor(
      async () => {
        if ((await activities()).some((a) => a.title === title)) return true;
        throw new Error(
          `queue ${await page.evaluate(() => `${navigator.onLine} ${localStorage.getItem('tongxin.activityQueue')}`)}`,
        );
      },
      { timeoutMs: 60_000, intervalMs: 1000, message: 'the queued activity to reach the server' },
    );
    await page.getByTestId('activity-item').filter({ hasText: title }).waitFor({ timeout: 30_000 });
    await queued.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => localStorage.getItem('tongxin.activityQueue'))).toBe('[]');
    const stored = (await activities()).filter((a) => a.title === title);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.id).toBe((JSON.parse(kept!) as { activityId: string }[])[0]!.activityId);
    expect(stored[0]!.attendeeChildIds).toHaveLength(3);
  });

  it('2b. the API’s own activity schema refuses a bad value beside its field before any request is made', async () => {
    const page = managerPage;
    const posts: string[] = [];
    const count = (request: { method(): string; url(): string }) => {
      if (request.method() === 'POST' && request.url().includes('/activities')) posts.push(request.url());
    };
    page.on('request', count);
    try {
      const title = `安全教育 ${Date.now().toString(36)}`;
      await fillActivity(page, title);
      // The form has no rule of its own for the place: only ZActivityInput (at most 100) refuses it.
      await page.getByTestId('activity-place').fill('村'.repeat(101));
      await page.getByTestId('log-activity').click();
      const place = page.locator('.ant-form-item').filter({ has: page.getByTestId('activity-place') });
      await place.locator('.ant-form-item-explain-error').getByText('最多 100 个字').waitFor();
      expect(posts).toEqual([]);

      await page.getByTestId('activity-place').fill('活动室');
      await page.getByTestId('log-activity').click();
      await page.getByTestId('activity-item').filter({ hasText: title }).waitFor();
      expect(posts).toHaveLength(1);
      expect((await activities()).filter((a) => a.title === title)).toHaveLength(1);
    } finally {
      page.off('request', count);
    }
  });

  it('3. a charity registers books line by line and allocates them; over-allocation shows the server’s message beside the quantity', async () => {
    const page = await open(DESKTOP);
    await logIn(page, world.accounts.charity, /\/donations$/);
    const isbnOf = (first12: string) => `${first12}${isbn13CheckDigit(first12)}`;
    const isbn = page.getByTestId('isbn');
    await page.getByTestId('book-title').fill('小王子');
    await page.getByTestId('book-quantity').fill('100');
    await isbn.fill('978-7-02-004287-6');
    await isbn.press('Enter');
    await page.getByTestId('book-lines').getByRole('cell', { name: '9787020042876', exact: true }).waitFor();
    // A scanner types the ISBN and Enter: the line is added and the input is ready for the next.
    const second = isbnOf('978753274552');
    await page.getByTestId('book-quantity').fill('40');
    await isbn.fill(second);
    await isbn.press('Enter');
    await page.getByTestId('book-lines').getByRole('cell', { name: second, exact: true }).waitFor();
    expect(await isbn.inputValue()).toBe('');
    await page.screenshot({ path: join(ARTIFACTS, 'charity.png'), fullPage: true });

    await page.getByTestId('register-donation').click();
    const detail = page.getByTestId('donation-detail');
    await detail.waitFor();
    const donations = await world.api.call('GET', `/api/donations/donations?donorId=${world.donorId}`, {
      token: world.tokens.charity,
    });
    expect(donations.status).toBe(200);
    expect(donations.body.items).toHaveLength(1);
    const donation = donations.body.items[0];
    expect(donation.lines.map((l: { quantity: number; isbn?: string }) => [l.isbn, l.quantity])).toEqual([
      ['9787020042876', 100],
      [second, 40],
    ]);

    await detail.getByTestId('recipient').click();
    await page.locator('.ant-select-item-option', { hasText: world.facility.name }).click();
    const line1 = detail.locator('tr', { hasText: '小王子' });
    await line1.getByTestId('allocate-quantity').fill('30');
    await detail.getByTestId('allocate').click();
    await detail.getByTestId('allocations').getByText(world.facility.name).waitFor();
    await line1.getByText('70', { exact: true }).waitFor();

    await line1.getByTestId('allocate-quantity').fill('1000');
    await detail.getByTestId('allocate').click();
    const error = line1.locator('.ant-form-item-explain-error');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('70');
    expect(text).toMatch(/可分配余量仅剩70/);
    const after = await world.api.call('GET', `/api/donations/donations/${donation.id}`, {
      token: world.tokens.charity,
    });
    expect(after.body.allocations).toHaveLength(1);
    expect(after.body.lines[0].allocated).toBe(30);
    await page.screenshot({ path: join(ARTIFACTS, 'charity-over-allocation.png'), fullPage: true });
  });

  it('3b. a charity shares a fund between two homes in one batch; too much for the second names that home, then the balance is shared equally', async () => {
    const second = await openSecondHome('B');
    const fund = await donate({ kind: 'money', restrictedTo: '儿童之家运行经费', amountYuan: '1,000.00' });

    const { page, detail } = await allocateToBoth(fund.receiptNumber, second.name);

    // 600.00 each: the second home's share no longer fits, and the message names that home.
    await detail.getByTestId('allocate-amount').fill('600.00');
    await detail.getByTestId('allocate').click();
    const error = detail.locator('.ant-form-item-explain-error', { hasText: second.name });
    await error.waitFor();
    expect(await error.textContent()).toBe(`${second.name}：可分配余额仅剩400.00元`);
    const refused = await world.api.call('GET', `/api/donations/donations/${fund.id}`, {
      token: world.tokens.charity,
    });
    expect(refused.body.allocations).toHaveLength(0); // all or nothing

    await detail.getByTestId('share-equally').click();
    expect(await detail.getByTestId('allocate-amount').inputValue()).toBe('500.00');
    await detail.getByTestId('allocate').click();
    await page.getByText('已分配给 2 个受助方').waitFor();
    const after = await world.api.call('GET', `/api/donations/donations/${fund.id}`, {
      token: world.tokens.charity,
    });
    expect(
      (after.body.allocations as { recipientId: string; amountFen: number }[])
        .map((a) => [a.recipientId, a.amountFen])
        .sort(),
    ).toEqual(
      [
        [world.facility.id, 50_000],
        [second.id, 50_000],
      ].sort(),
    );
    await page.screenshot({ path: join(ARTIFACTS, 'charity-share-fund.png'), fullPage: true });
  });

  it('3c. a charity allocates a book title to two homes in one batch; a quantity too large for the second names that home beside the line', async () => {
    const second = await openSecondHome('C');
    const books = await donate({
      kind: 'books',
      restrictedTo: '儿童之家图书角',
      lines: [
        {
          type: 'book',
          title: '草房子',
          isbn: `978753425244${isbn13CheckDigit('978753425244')}`,
          quantity: 60,
          unitValueYuan: '25.00',
        },
      ],
    });
    const lineId = books.lines[0]!.lineId;

    const { page, detail } = await allocateToBoth(books.receiptNumber, second.name);
    const line = detail.locator('tr', { hasText: '草房子' });

    // 40 each of 60: the first home's 40 leave 20, so the second's is refused, beside the line.
    await line.getByTestId('allocate-quantity').fill('40');
    await detail.getByTestId('allocate').click();
    const error = line.locator('.ant-form-item-explain-error');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain(second.name);
    expect(text).toMatch(/申请分配40，可分配余量仅剩20/);
    const refused = await world.api.call('GET', `/api/donations/donations/${books.id}`, {
      token: world.tokens.charity,
    });
    expect(refused.body.allocations).toHaveLength(0); // all or nothing
    expect(refused.body.lines[0].allocated).toBe(0);

    await line.getByTestId('allocate-quantity').fill('30');
    await detail.getByTestId('allocate').click();
    await page.getByText('已分配给 2 个受助方').waitFor();
    const after = await world.api.call('GET', `/api/donations/donations/${books.id}`, {
      token: world.tokens.charity,
    });
    expect(
      (after.body.allocations as { recipientId: string; lineId: string; quantity: number; valueFen: number }[])
        .map((a) => [a.recipientId, a.lineId, a.quantity, a.valueFen])
        .sort(),
    ).toEqual(
      [
        [world.facility.id, lineId, 30, 75_000],
        [second.id, lineId, 30, 75_000],
      ].sort(),
    );
    expect(after.body.lines[0].allocated).toBe(60);
    await page.screenshot({ path: join(ARTIFACTS, 'charity-share-books.png'), fullPage: true });
  });

  it('4. a township officer uploads a list with errors and sees them per row', async () => {
    const page = await open(DESKTOP);
    await logIn(page, world.accounts.township, /\/children$/);
    await page.goto(`${world.platform.gatewayUrl}/lists/upload`);
    const csv = [
      '姓名,性别,出生日期,公民身份号码,现居住地村（社区）代码,父亲状况,母亲状况,户籍性质',
      `王小丽,女,2015-03-08,,${FUSHOU_VILLAGE},外出务工,外出务工,农业`,
      `赵小刚,男,2015-13-40,,${FUSHOU_VILLAGE},外出务工,外出务工,农业`,
      `孙小梅,女,2014-06-01,430626201406010000,${FUSHOU_VILLAGE},外出务工,外出务工,农业`,
      '周小龙,男,2013-02-02,,430621101201,外出务工,外出务工,农业',
    ].join('\r\n');
    await page.getByTestId('list-file').setInputFiles({
      name: '民政名单.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`\uFEFF${csv}\r\n`, 'utf8'),
    });
    const started = page.waitForResponse(
      (r) => r.url().includes('/api/registry/submissions/') && r.request().method() === 'PUT',
    );
    await page.getByTestId('upload').click();
    const job = (await (await started).json()) as { id: string };
    await page.getByTestId('upload-rejected').waitFor({ timeout: 30_000 });

    const report = await world.api.call('GET', `/api/registry/submissions/${job.id}`, { token: world.tokens.township });
    expect(report.body.status).toBe('rejected');
    const issues = report.body.issues as { row: number; messageZh: string }[];
    expect(new Set(issues.map((i) => i.row))).toEqual(new Set([3, 4, 5]));
    const table = page.getByTestId('row-errors');
    for (const issue of issues) {
      const row = table.locator('tr', { hasText: issue.messageZh }).first();
      await row.waitFor();
      expect((await row.locator('td').first().textContent())?.trim()).toBe(String(issue.row));
    }
    await page.screenshot({ path: join(ARTIFACTS, 'township-officer-upload.png'), fullPage: true });
  });

  it('5. a county officer sees their child but cannot navigate to another county’s child (404 page)', async () => {
    const page = await open(DESKTOP);
    await logIn(page, world.accounts.county, /\/dashboard$/);
    await page.getByText('关键指标').first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: join(ARTIFACTS, 'county-officer-dashboard.png'), fullPage: true });

    const own = world.children[0]!;
    await page.goto(`${world.platform.gatewayUrl}/children/${own.id}`);
    await page.getByTestId('child-card').getByText(own.name).first().waitFor();
    const idText = await page.getByTestId('child-card').locator('code').textContent();
    expect(idText).toMatch(/\*{4,}/);
    await page.screenshot({ path: join(ARTIFACTS, 'county-officer-child.png'), fullPage: true });

    await page.goto(`${world.platform.gatewayUrl}/children/${world.otherCountyChild.id}`);
    await page.getByTestId('not-found').waitFor();
    expect(await page.content()).not.toContain(world.otherCountyChild.name);
    // The other county's officer does see that child: the 404 is scope, not a broken page.
    const theirs = await world.api.call('GET', `/api/registry/children/${world.otherCountyChild.id}`, {
      token: world.tokens.otherCounty,
    });
    expect(theirs.status).toBe(200);
    await page.screenshot({ path: join(ARTIFACTS, 'county-officer-404.png') });
  });

  it('6. the language switch changes the visible labels and region names zh → en → zh', async () => {
    const page = await open(DESKTOP);
    await logIn(page, world.accounts.township, /\/children$/);
    const menu = page.getByTestId('role-menu');
    await menu.getByText('儿童名单').waitFor();
    // The children of 福寿村 (Fushou Village), listed with their village.
    const table = page.locator('.ant-table');
    await table.getByText('福寿村').first().waitFor();
    await page.getByTestId('language-switch').click();
    await menu.getByText('Children', { exact: true }).waitFor();
    await menu.getByText('List upload').waitFor();
    expect(await menu.textContent()).not.toContain('儿童名单');
    await table.getByText('Fushou Village').first().waitFor();
    expect(await table.textContent()).not.toContain('福寿村');
    expect(await page.getByRole('button', { name: 'Log out' }).count()).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'township-officer-en.png'), fullPage: true });
    await page.getByTestId('language-switch').click();
    await menu.getByText('儿童名单').waitFor();
    expect(await menu.textContent()).not.toContain('Children');
    await table.getByText('福寿村').first().waitFor();
    expect(await table.textContent()).not.toContain('Fushou Village');
    await page.screenshot({ path: join(ARTIFACTS, 'township-officer-children.png'), fullPage: true });
  });
});
