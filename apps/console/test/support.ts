/**
 * The console's test world: the console built once with vite's build() API, the whole platform
 * launched with the gateway serving it, and through the gateway API (as the bootstrapped city
 * administrator and down the chain) the accounts and data the journeys need.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { makeResidentId } from '@tongxin/contracts/values';
import { launchPlatform, type LaunchedPlatform } from '@tongxin/local-stack';
import { kafkaBrokers, mongodbUri, waitFor } from '@tongxin/testkit';
import { build } from 'vite';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const CONSOLE_DIR = resolve(import.meta.dirname, '..');
export const ARTIFACTS = join(CONSOLE_DIR, '.artifacts');

export const PINGJIANG = '430626';
export const ANDING_TOWN = '430626101';
export const FUSHOU_VILLAGE = '430626101201';
export const CHANGFENG_VILLAGE = '430626101202';
export const YUEYANG_COUNTY = '430621';
export const TANGCHONG_VILLAGE = '430621101201';

/** Builds the console into a fresh temporary directory (the journeys never depend on a stale dist). */
export async function buildConsole(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'tongxin-console-'));
  await build({
    root: CONSOLE_DIR,
    configFile: join(CONSOLE_DIR, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  if (!existsSync(join(outDir, 'index.html')) || statSync(join(outDir, 'index.html')).size === 0)
    throw new Error(`the console build produced no index.html in ${outDir}`);
  return outDir;
}

export interface Call {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export function client(base: string) {
  const call = async (
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<Call> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: res.status, body };
  };
  const login = async (username: string, password: string): Promise<string> => {
    const res = await call('POST', '/auth/login', { body: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.accessToken as string;
  };
  return { call, login };
}

export const password = () => `Pw${randomBytes(5).toString('hex')}x9`;

const SURNAMES = ['李', '王', '张', '刘', '陈', '杨', '赵', '黄'];
/** A child of a village, with a unique two-character given name (so a page can be searched by it). */
export function childInput(village: string, county: string, given: string) {
  const year = 2012 + Math.floor(Math.random() * 6);
  const birthDate = `${year}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
  const sex = Math.random() < 0.5 ? 'female' : 'male';
  return {
    name: `${SURNAMES[Math.floor(Math.random() * SURNAMES.length)]}${given}`,
    sex,
    birthDate,
    ethnicity: '汉族',
    idNumber: makeResidentId({ regionCode: county, birthDate, sequence: Math.floor(Math.random() * 499), sex }),
    hukou: { status: 'registered', kind: 'rural' },
    regionCode: village,
    address: '村民小组',
    schooling: { status: 'enrolled', school: '中心小学', grade: '四年级' },
    health: { status: 'healthy' },
    parents: [
      { relation: 'father', name: '父亲', status: 'migrant_worker', workPlace: '广东东莞' },
      { relation: 'mother', name: '母亲', status: 'migrant_worker', workPlace: '广东深圳' },
    ],
    guardian: { kind: 'grandparent', name: '祖母', relation: 'paternal_grandmother', capacity: 'capable' },
    supervision: 'supervised',
    assistance: [],
  };
}

export interface World {
  platform: LaunchedPlatform;
  consoleDir: string;
  api: ReturnType<typeof client>;
  accounts: Record<
    'county' | 'township' | 'manager' | 'charity' | 'otherCounty',
    { username: string; password: string }
  >;
  tokens: Record<'admin' | 'county' | 'township' | 'manager' | 'charity' | 'otherCounty', string>;
  facility: { id: string; name: string };
  children: { id: string; name: string }[];
  otherCountyChild: { id: string; name: string };
  donorId: string;
}

const started = Date.now();
/** Progress of the (long) set-up, on stderr: where the minutes go on a busy machine. */
const step = (what: string) =>
  process.stderr.write(`[console e2e ${((Date.now() - started) / 1000).toFixed(1)} s] ${what}\n`);

/** Stops the services and drops the databases this launch created. */
export async function disposeWorld(world: World | undefined): Promise<void> {
  if (!world) return;
  await world.platform.dispose();
}

export async function createWorld(): Promise<World> {
  const consoleDir = await buildConsole();
  step('console built');
  const databasePrefix = `console_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const platform = await launchPlatform({
    // The shared Kafka holds every earlier run's events: the journeys need only this run's.
    consumersFrom: 'now',
    kafkaBrokers: kafkaBrokers().join(','),
    mongodbUri: mongodbUri(),
    databasePrefix,
    serviceEnv: {
      // The browser and the test's own API calls share 127.0.0.1: room for both.
      gateway: { GATEWAY_CONSOLE_DIR: consoleDir, GATEWAY_RATE_LIMIT_IP_PER_MINUTE: '5000' },
    },
  });
  step('platform launched');
  try {
    return await populate(platform, consoleDir);
  } catch (error) {
    await disposeWorld({ platform } as World);
    throw error;
  }
}

async function populate(platform: LaunchedPlatform, consoleDir: string): Promise<World> {
  const api = client(platform.gatewayUrl);
  const { call, login } = api;
  const suffix = randomBytes(3).toString('hex');
  const admin = await login(platform.admin.username, platform.admin.password);

  const account = async (token: string, body: Record<string, unknown>) => {
    const pw = password();
    const res = await call('POST', '/users', { token, body: { password: pw, ...body } });
    if (res.status !== 201)
      throw new Error(`create ${String(body.username)}: ${res.status} ${JSON.stringify(res.body)}`);
    return { username: body.username as string, password: pw, token: await login(body.username as string, pw) };
  };
  const expectStatus = (res: Call, status: number, what: string) => {
    if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  const county = await account(admin, {
    username: `pj-county-${suffix}`,
    name: '平江县民政局 刘科长',
    role: 'county_officer',
    regions: [PINGJIANG],
    adminRegion: PINGJIANG,
    department: 'civil_affairs',
  });
  const otherCounty = await account(admin, {
    username: `yy-county-${suffix}`,
    name: '岳阳县民政局 周科长',
    role: 'county_officer',
    regions: [YUEYANG_COUNTY],
    adminRegion: YUEYANG_COUNTY,
    department: 'civil_affairs',
  });
  const township = await account(county.token, {
    username: `anding-${suffix}`,
    name: '安定镇民政办 陈干事',
    role: 'township_officer',
    department: 'civil_affairs',
    regions: [ANDING_TOWN],
    adminRegion: ANDING_TOWN,
  });

  const facilityName = `长丰村儿童之家-${suffix}`;
  const opened = expectStatus(
    await call('POST', '/api/facilities/facilities', {
      token: county.token,
      body: {
        code: `PJ-${randomUUID().slice(0, 6)}`,
        name: facilityName,
        kind: 'village_based',
        regionCode: CHANGFENG_VILLAGE,
        address: '平江县安定镇长丰村村部二楼',
        openedOn: '2017-09-01',
        managers: [],
        openingHours: '周六 9:00-11:00',
        capacity: 30,
      },
    }),
    201,
    'open the home',
  );
  const facility = { id: opened.id as string, name: facilityName };
  const manager = await account(township.token, {
    username: `mgr-${suffix}`,
    name: '儿童主任 何老师',
    role: 'facility_manager',
    facilities: [facility.id],
    adminRegion: ANDING_TOWN,
  });

  const given = ['小红', '小明', '小芳'];
  const children: { id: string; name: string }[] = [];
  for (const g of given) {
    const input = childInput(FUSHOU_VILLAGE, PINGJIANG, g);
    const body = expectStatus(
      await call('POST', '/api/registry/children', {
        token: county.token,
        body: input,
        headers: { 'x-purpose': 'registration' },
      }),
      201,
      'register a child',
    );
    children.push({ id: body.id, name: input.name });
  }
  const otherInput = childInput(TANGCHONG_VILLAGE, YUEYANG_COUNTY, '小军');
  const other = expectStatus(
    await call('POST', '/api/registry/children', { token: otherCounty.token, body: otherInput }),
    201,
    'register the other county’s child',
  );

  step('accounts, home and children registered');
  // Enrolment needs the child in the facilities service's projection (from registry.child.v1).
  const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
  for (const child of children) {
    await waitFor(
      async () => {
        const res = await call('POST', `/api/facilities/facilities/${facility.id}/children`, {
          token: county.token,
          body: { childId: child.id, enrolledOn: today },
        });
        if (res.status === 200 || res.status === 201) return res;
        throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      },
      { timeoutMs: 120_000, intervalMs: 1000, message: `child ${child.id} enrolled` },
    );
  }

  step('children enrolled');
  const donorId = `ccf-${suffix}`;
  expectStatus(
    await call('POST', '/api/donations/donors', {
      token: admin,
      body: { donorId, kind: 'organisation', organisationType: 'charity_federation', displayName: '岳阳市慈善总会' },
    }),
    201,
    'register the donor',
  );
  const charity = await account(admin, {
    username: `ccf-${suffix}`,
    name: '市慈善总会 孙主任',
    role: 'charity',
    donorOrgs: [donorId],
    adminRegion: '4306',
  });
  // The donations service knows homes from facilities.facility.v1.
  await waitFor(
    async () => {
      const res = await call('GET', '/api/donations/homes', { token: charity.token });
      return res.status === 200 && (res.body.items as { id: string }[]).some((h) => h.id === facility.id);
    },
    { timeoutMs: 60_000, intervalMs: 500, message: 'the home known to donations' },
  );

  step('charity ready');
  const pick = (a: { username: string; password: string }) => ({ username: a.username, password: a.password });
  return {
    platform,
    consoleDir,
    api,
    accounts: {
      county: pick(county),
      township: pick(township),
      manager: pick(manager),
      charity: pick(charity),
      otherCounty: pick(otherCounty),
    },
    tokens: {
      admin,
      county: county.token,
      township: township.token,
      manager: manager.token,
      charity: charity.token,
      otherCounty: otherCounty.token,
    },
    facility,
    children,
    otherCountyChild: { id: other.id as string, name: otherInput.name },
    donorId,
  };
}

/**
 * Browser pages of one test file: `open` a new context (a phone's when asked: touch, 2× pixels) with
 * the zh-CN locale; `logIn` through the login page to the landing URL; `close` every context opened.
 * The browser and the gateway's URL are read when called (they are set up in `beforeAll`).
 */
export function browserPages(browser: () => Browser, gatewayUrl: () => string) {
  const contexts: BrowserContext[] = [];
  return {
    async open(viewport: { width: number; height: number }, phone = false): Promise<Page> {
      const context = await browser().newContext({
        viewport,
        locale: 'zh-CN',
        ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
      });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      return page;
    },
    async logIn(page: Page, who: { username: string; password: string }, landing: RegExp): Promise<void> {
      await page.goto(`${gatewayUrl()}/`);
      await page.waitForURL(/\/login$/);
      await page.getByLabel('用户名').fill(who.username);
      await page.getByLabel('密码').fill(who.password);
      await page.getByRole('button', { name: /登\s*录/ }).click();
      await page.waitForURL(landing);
    },
    async close(): Promise<void> {
      for (const context of contexts.splice(0)) await context.close().catch(() => undefined);
    },
  };
}
