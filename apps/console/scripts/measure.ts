/**
 * `npm run measure -w @tongxin/console`: builds the console into dist/, prints its size (every JS
 * and CSS file raw and gzipped, and the totals), then launches the platform with the gateway
 * serving that build and measures, in Chromium with the network throttled through CDP (1.6 Mbps
 * down, 750 kbps up, 150 ms latency) and an empty cache, the first load of the login page and of
 * the facility manager's page (logged in) until the home and the activity form are on screen.
 * A printed measurement, not a test: the figures depend on the machine.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

import { launchPlatform, SERVICE_NAMES } from '@tongxin/local-stack';
import { connectTestDatabase } from '@tongxin/testkit';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';

import { client, CONSOLE_DIR, password } from '../test/support.js';

const DIST = join(CONSOLE_DIR, 'dist');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

async function sizes() {
  await build({ root: CONSOLE_DIR, configFile: join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'warn' });
  const files = readdirSync(join(DIST, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const raw = readFileSync(join(DIST, 'assets', f));
      return { file: f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
    })
    .sort((a, b) => b.raw - a.raw);
  const total = (ext: string) =>
    files
      .filter((f) => f.file.endsWith(ext))
      .reduce((s, f) => ({ raw: s.raw + f.raw, gzip: s.gzip + f.gzip }), { raw: 0, gzip: 0 });
  console.log('\n== Production build (apps/console/dist) ==');
  for (const f of files.slice(0, 12))
    console.log(`  ${f.file.padEnd(44)} ${kb(f.raw).padStart(11)}  gzip ${kb(f.gzip).padStart(10)}`);
  console.log(`  … ${files.length} files in all`);
  const js = total('.js');
  const css = total('.css');
  console.log(`  JS  total ${kb(js.raw)}  gzip ${kb(js.gzip)}`);
  console.log(`  CSS total ${kb(css.raw)}  gzip ${kb(css.gzip)}  (Ant Design 6 puts its styles in JS)`);
  console.log(`  dist total ${kb(statTree(DIST))}`);
  return files;
}

function statTree(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    n += statSync(p).isDirectory() ? statTree(p) : statSync(p).size;
  }
  return n;
}

async function throttledLoad(page: Page, url: string, ready: (page: Page) => Promise<unknown>) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1_000_000) / 8,
    uploadThroughput: (750 * 1000) / 8,
  });
  let bytes = 0;
  let requests = 0;
  const scripts: string[] = [];
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => {
    bytes += e.encodedDataLength;
    requests += 1;
  });
  page.on('request', (r) => {
    if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname.replace('/assets/', ''));
  });
  const started = Date.now();
  await page.goto(url, { waitUntil: 'commit' });
  await ready(page);
  const ms = Date.now() - started;
  await cdp.detach();
  return { ms, bytes, requests, scripts };
}

async function main() {
  await sizes();
  const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
  const mongodbUri = process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027';
  console.log('\n== First load, throttled (1.6 Mbps down / 750 kbps up / 150 ms), empty cache ==');
  console.log('  launching the platform…');
  const platform = await launchPlatform({
    kafkaBrokers: brokers,
    mongodbUri,
    serviceEnv: { gateway: { GATEWAY_CONSOLE_DIR: DIST } },
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking'],
  });
  try {
    const { call, login } = client(platform.gatewayUrl);
    const admin = await login(platform.admin.username, platform.admin.password);
    const mk = async (token: string, body: Record<string, unknown>) => {
      const pw = password();
      const res = await call('POST', '/users', { token, body: { password: pw, ...body } });
      if (res.status !== 201) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
      return { username: body.username as string, pw };
    };
    const county = await mk(admin, {
      username: 'measure-county',
      name: '县民政局',
      role: 'county_officer',
      regions: ['430626'],
      adminRegion: '430626',
    });
    const countyToken = await login(county.username, county.pw);
    const home = await call('POST', '/api/facilities/facilities', {
      token: countyToken,
      body: {
        code: 'PJ-MEASURE',
        name: '长丰村儿童之家',
        kind: 'village_based',
        regionCode: '430626101202',
        address: '平江县安定镇长丰村',
        openedOn: '2017-09-01',
        managers: [],
        openingHours: '周六 9:00-11:00',
        capacity: 30,
      },
    });
    const manager = await mk(countyToken, {
      username: 'measure-manager',
      name: '儿童主任',
      role: 'facility_manager',
      facilities: [home.body.id],
      adminRegion: '430626101',
    });
    const pair = (await call('POST', '/auth/login', { body: { username: manager.username, password: manager.pw } }))
      .body;

    const loginPage = await (
      await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true })
    ).newPage();
    const first = await throttledLoad(loginPage, `${platform.gatewayUrl}/login`, (p) =>
      p.getByRole('button', { name: /登\s*录/ }).waitFor({ timeout: 60_000 }),
    );
    console.log(
      `  login page:                ${(first.ms / 1000).toFixed(2)} s, ${kb(first.bytes)} in ${first.requests} requests`,
    );

    const session = JSON.stringify({
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: Date.now() + 800_000,
    });
    const principal = JSON.stringify((await call('GET', '/auth/me', { token: pair.accessToken })).body);
    // Two kinds of first load, both with an empty HTTP cache: a returning manager (the console keeps
    // the session and the claims in localStorage after the login) and one that only has the tokens
    // (the claims are asked from /auth/me before the page's chunk is known).
    const measureFacility = async (withClaims: boolean) => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
      await context.addInitScript(
        ([s, p]) => {
          localStorage.setItem('tongxin.session', s!);
          if (p) localStorage.setItem('tongxin.principal', p);
        },
        [session, withClaims ? principal : ''],
      );
      const page = await context.newPage();
      const result = await throttledLoad(page, `${platform.gatewayUrl}/facility`, async (p) => {
        await p.getByTestId('my-home').getByText('长丰村儿童之家').waitFor({ timeout: 60_000 });
        await p.getByTestId('log-activity').waitFor({ timeout: 60_000 });
      });
      await context.close();
      return result;
    };
    const facility = await measureFacility(true);
    console.log(
      `  facility manager's page (returning, claims kept): ${(facility.ms / 1000).toFixed(2)} s, ${kb(facility.bytes)} in ${facility.requests} requests (target < 3 s)`,
    );
    const tokensOnly = await measureFacility(false);
    console.log(
      `  facility manager's page (tokens only, /auth/me first): ${(tokensOnly.ms / 1000).toFixed(2)} s, ${kb(tokensOnly.bytes)} in ${tokensOnly.requests} requests`,
    );
    console.log(`  scripts it loaded: ${facility.scripts.length} (${facility.scripts.join(', ')})`);
  } finally {
    await browser.close();
    await platform.stop();
    process.env.MONGODB_URI ??= mongodbUri;
    for (const name of SERVICE_NAMES) {
      const connection = await connectTestDatabase(platform.database(name), { exact: true }).catch(() => undefined);
      await connection?.closeAndDrop();
    }
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
