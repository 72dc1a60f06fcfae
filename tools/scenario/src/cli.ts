/**
 * `npm run scenario -- --city yueyang [--scale 0.05] [--seed 42] [--gateway http://127.0.0.1:3000]
 * [--admin admin --password …] [--profile path.json] [--concurrency 6] [--settle-minutes 20]`
 *
 * Builds the city through the running platform's gateway, then prints each figure of the annual
 * report against the profile; exits 1 on any mismatch (2 on a bad profile or argument).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { loadProfile, ProfileError } from './profile.js';
import { createProgress } from './progress.js';
import { runScenario } from './scenario.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');

const { values } = parseArgs({
  options: {
    city: { type: 'string', default: 'yueyang' },
    profile: { type: 'string' },
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    gateway: { type: 'string', default: 'http://127.0.0.1:3000' },
    admin: { type: 'string', default: 'admin' },
    password: { type: 'string' },
    concurrency: { type: 'string', default: '6' },
    townships: { type: 'string' },
    'list-townships': { type: 'string' },
    /** How long the report may take to show every figure (the read models catching up). */
    'settle-minutes': { type: 'string', default: '20' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const scale = Number(values.scale);
if (!(scale > 0 && scale <= 10)) fail(`--scale must be a number in (0, 10], got ${values.scale}`);
const seed = Number(values.seed);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, got ${values.seed}`);
const settleMinutes = Number(values['settle-minutes']);
if (!(settleMinutes > 0)) fail(`--settle-minutes must be a positive number, got ${values['settle-minutes']}`);
const profilePath = values.profile ?? join(here, '..', 'profiles', `${values.city}.json`);
let profile;
try {
  profile = loadProfile(profilePath);
} catch (error) {
  if (error instanceof ProfileError) fail(error.message);
  throw error;
}
let password = values.password;
if (!password) {
  const secrets = join(root, '.data', 'dev', 'secrets.json');
  if (!existsSync(secrets)) fail(`no --password and no ${secrets} (start the platform with npm start first)`);
  password = (JSON.parse(readFileSync(secrets, 'utf8')) as { gatewayAdminPassword?: string }).gatewayAdminPassword;
  if (!password) fail(`${secrets} holds no gatewayAdminPassword`);
}

const result = await runScenario({
  gateway: values.gateway!.replace(/\/$/, ''),
  admin: { username: values.admin!, password },
  profile,
  scale,
  seed,
  concurrency: Number(values.concurrency),
  settleTimeoutMs: settleMinutes * 60_000,
  ...(values.townships ? { townshipsPerCounty: Number(values.townships) } : {}),
  ...(values['list-townships'] ? { listTownships: Number(values['list-townships']) } : {}),
  progress: createProgress(),
});

const width = Math.max(...result.comparisons.map((c) => c.figure.length));
console.log(`\n${result.plan.city.name} ${result.year} — profile ×${scale} vs the annual report / 概况与年度报告对比`);
for (const c of result.comparisons)
  console.log(
    `${c.ok ? '  ok ' : '  ✗  '}${c.figure.padEnd(width)}  expected ${String(c.expected).padStart(10)}  report ${String(c.actual).padStart(10)}`,
  );
console.log(`\n${result.report?.paragraph?.zh ?? ''}\n\n${result.report?.paragraph?.en ?? ''}\n`);
const s = result.stats;
console.log(
  `${s.requests} requests (${s.retries} retried) in ${(s.ms / 1000).toFixed(1)} s; phases: ${Object.entries(s.phases)
    .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
    .join(', ')}`,
);
console.log(result.ok ? 'every figure matches / 全部一致' : 'MISMATCH / 存在不一致');
process.exit(result.ok ? 0 : 1);
