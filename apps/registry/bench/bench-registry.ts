/**
 * `npm run bench:registry` — importing and cross-checking a whole city's department lists, measured
 * against a raw `insertMany` of the same documents in the same run.
 *
 * Per scale (BENCH_SCALE, default `1,10`; BENCH_ROWS rows per department at 1×, default 33,309):
 *  - the synthetic city of city.ts, written as one CSV per township and department (city-files.ts);
 *  - ours: `submissions.start()` for every file (read → validate → seal → chunks of 500 rows, one
 *    `insertOne` each, in the list's own collection), waited for, then `reconciliations.run()` for
 *    every township — through the service objects of `createRegistryService`, not HTTP;
 *  - baseline: the very chunk documents ours stored, read back and written again by `insertMany`
 *    into one fresh collection; and the same rows as one plain document per row.
 * Wall time, rows/s and peak memory (process RSS and heap, FerretDB's RSS) for each.
 *
 * Every database is `bench_registry_<run>_<scale>x` and is dropped at the end. Writes
 * apps/registry/docs-bench-draft.md (git ignores it).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { isSheet, readSheet, validateRows } from '../src/import/index.js';
import { DEPARTMENTS, type ReconciliationSummary } from '../src/reconciliation/index.js';
import { createRegistryService, registryConfigSchema, type RegistryService } from '../src/service.js';
import type { ReconciliationDoc } from '../src/service/reconciliations.js';
import { sealRow, type RowChunkDoc, type SubmissionDoc } from '../src/service/submissions.js';
import { generateCity } from './city.js';
import { cityFiles, type CityFile, type CityFiles } from './city-files.js';

// ---------------------------------------------------------------------------------------------
// Configuration

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
};

const config = {
  mongodbUri: process.env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027',
  rows: Math.round(env('BENCH_ROWS', 33_309)),
  scales: (process.env.BENCH_SCALE ?? '1,10').split(',').map((s) => {
    const scale = Number(s.trim());
    if (!Number.isInteger(scale) || scale < 1) throw new Error(`BENCH_SCALE: "${s}" is not a positive integer`);
    return scale;
  }),
  seed: Math.round(env('BENCH_SEED', 20_240_501)),
  /** Lists processed at once; 1 keeps the attribution of time to database and CPU exact. */
  concurrency: Math.round(env('BENCH_CONCURRENCY', 1)),
  /** A larger scale whose projected time exceeds this is skipped, with the projection printed. */
  maxMinutes: env('BENCH_MAX_MINUTES', 25),
  /** Reconcile only this many townships (evenly spread) and extrapolate; 0 = all, or as the time budget allows. */
  reconcileTownships: Math.round(Number(process.env.BENCH_RECONCILE_TOWNSHIPS ?? 0)),
  /** Rows per insertMany call of the baselines. */
  baselineBatchRows: Math.round(env('BENCH_BASELINE_BATCH_ROWS', 5_000)),
};

const RUN = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const started = performance.now();
const since = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s`;
const log = (message: string) => console.log(`[${since()}] ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const rate = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : 0);
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const secs = (ms: number) => fmt(ms / 1000, 1);
const mib = (bytes: number) => fmt(bytes / 2 ** 20);
const pct = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Memory: this process sampled every 100 ms, and FerretDB's resident set when it runs here.

function processCommandLines(): { pid: string; cmdline: string }[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map((pid) => {
        try {
          return { pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ') };
        } catch {
          return { pid, cmdline: '' };
        }
      });
  } catch {
    return [];
  }
}

const ferretProcess = processCommandLines().find((p) => /\/ferretdb\S*\s.*--listen-addr/.test(p.cmdline));

function ferretRss(): number | undefined {
  if (!ferretProcess) return undefined;
  try {
    const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${ferretProcess.pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

interface MemoryPeak {
  rssAtStart: number;
  rss: number;
  heapUsed: number;
  ferretAtStart: number | undefined;
  ferret: number | undefined;
}

/** Samples memory from now until `stop()`; returns the peaks. */
function sampleMemory(): { stop(): MemoryPeak } {
  const first = process.memoryUsage();
  const ferretAtStart = ferretRss();
  const peak: MemoryPeak = {
    rssAtStart: first.rss,
    rss: first.rss,
    heapUsed: first.heapUsed,
    ferretAtStart,
    ferret: ferretAtStart,
  };
  const sample = () => {
    const { rss, heapUsed } = process.memoryUsage();
    peak.rss = Math.max(peak.rss, rss);
    peak.heapUsed = Math.max(peak.heapUsed, heapUsed);
    const ferret = ferretRss();
    if (ferret !== undefined) peak.ferret = Math.max(peak.ferret ?? 0, ferret);
  };
  const timer = setInterval(sample, 100);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Time spent inside chosen calls of the service, by wrapping them on the objects the service uses
// (nothing in src changes). With BENCH_CONCURRENCY=1 the sums do not overlap.

type Timings = Record<string, { calls: number; ms: number }>;

function timed(
  timings: Timings,
  name: string,
  fn: (...args: unknown[]) => unknown,
  self: unknown,
): (...args: unknown[]) => Promise<unknown> {
  timings[name] ??= { calls: 0, ms: 0 };
  return async (...args: unknown[]) => {
    const t0 = performance.now();
    try {
      // Mongoose queries are thenables that only run when awaited (or exec'd).
      return await fn.apply(self, args);
    } finally {
      timings[name]!.calls++;
      timings[name]!.ms += performance.now() - t0;
    }
  };
}

function instrument(registry: RegistryService): Timings {
  const timings: Timings = {};
  const { Submissions } = registry.listModels;
  const Reconciliations = registry.db.connection.model<ReconciliationDoc>('Reconciliation');
  const patch = (target: object, key: string, name: string) => {
    const holder = target as Record<string, (...args: unknown[]) => unknown>;
    holder[key] = timed(timings, name, holder[key]!, target);
  };
  // Import: the chunk writes, and the writes of the submission document (create, progress, finish, supersede).
  // Each list's rows go to a collection of their own, taken from `connection.collection(name)` per job.
  const connection = registry.db.connection as unknown as { collection(name: string, ...rest: unknown[]): object };
  const collection = connection.collection.bind(connection);
  const wrapped = new WeakSet<object>();
  connection.collection = (name: string, ...rest: unknown[]) => {
    const found = collection(name, ...rest);
    if (name.startsWith('list_rows_') && !wrapped.has(found)) {
      wrapped.add(found);
      patch(found, 'insertOne', 'chunkInsertOne');
    }
    return found;
  };
  for (const key of ['create', 'updateOne', 'updateMany']) patch(Submissions, key, 'submissionWrites');
  // Reconciliation: finding the latest lists, reading their rows, storing the result.
  patch(registry.submissions, 'latestStored', 'latestStored');
  patch(registry.submissions, 'rowsOf', 'rowsOf');
  patch(Reconciliations, 'create', 'storeReconciliation');
  return timings;
}

// ---------------------------------------------------------------------------------------------
// Machine and versions

interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: string;
  os: string;
  node: string;
  database: string;
  loadBefore: string;
}

async function machineInfo(registry: RegistryService): Promise<MachineInfo> {
  const backend = ferretProcess ? /--handler=(\w+)/.exec(ferretProcess.cmdline)?.[1] : undefined;
  const build = (await registry.db.connection.db!.admin().command({ buildInfo: 1 })) as {
    version?: string;
    ferretdbVersion?: string;
  };
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: (os.totalmem() / 2 ** 30).toFixed(1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    database: build.ferretdbVersion
      ? `FerretDB ${build.ferretdbVersion}${backend ? ` (${backend} backend)` : ''}, MongoDB API ${build.version}`
      : `MongoDB ${build.version}`,
    loadBefore: loadAverage(),
  };
}

// ---------------------------------------------------------------------------------------------
// The registry on a fresh database

const registries: RegistryService[] = [];

function openRegistry(scale: number): RegistryService {
  const registryConfig = registryConfigSchema.parse({
    LOG_LEVEL: 'warn',
    MONGODB_URI: config.mongodbUri,
    // Never contacted: the bench uses the service objects, not the HTTP server or the relay.
    KAFKA_BROKERS: '127.0.0.1:9',
    JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    JWT_ISSUER: 'bench',
    JWT_AUDIENCE: 'bench',
    REGISTRY_ID_KEY: randomBytes(32).toString('base64'),
    REGISTRY_INDEX_KEY: randomBytes(32).toString('base64'),
  });
  const registry = createRegistryService({ config: registryConfig, dbName: `bench_registry_${RUN}_${scale}x` });
  registries.push(registry);
  return registry;
}

async function cleanup(): Promise<void> {
  for (const registry of registries.splice(0)) {
    await registry.submissions.idle().catch(() => {});
    if (registry.db.isReady()) {
      await registry.db.connection
        .dropDatabase()
        .catch((error: Error) => log(`cleanup: dropping ${registry.db.name}: ${error.message}`));
    }
    await registry.db.close().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// One scale

interface ImportResult {
  ms: number;
  stored: number;
  rejected: number;
  failed: number;
  rowsStored: number;
  rowsRejected: number;
  chunks: number;
  firstIssues: string[];
  memory: MemoryPeak;
}

interface ReconcileResult {
  /** Measured, over the townships reconciled. */
  ms: number;
  townships: number;
  rows: number;
  townshipsAll: number;
  rowsAll: number;
  /** All townships: `ms` itself, or extrapolated by rows from a sample. */
  estimatedMs: number;
  summary: ReconciliationSummary;
  /** Against the city's truth: pairs of rows of one child, and how many ended in one group. */
  pairs: { exact: { planted: number; found: number }; fuzzy: { planted: number; found: number } };
  /** Groups holding rows of different children. */
  falseMerges: number;
  largestDoc: number;
  memory: MemoryPeak;
}

interface BaselineResult {
  chunkMs: number;
  chunkDocs: number;
  chunkBytes: number;
  rowMs: number;
  rowDocs: number;
  memory: MemoryPeak;
}

interface CpuResult {
  readSheetMs: number;
  validateMs: number;
  sealMs: number;
}

interface ScaleResult {
  scale: number;
  generateMs: number;
  files: CityFiles['stats'] & { count: number };
  importing: ImportResult;
  reconciling: ReconcileResult;
  baseline: BaselineResult;
  cpu: CpuResult;
  timings: Timings;
}

async function importFiles(registry: RegistryService, files: readonly CityFile[]): Promise<ImportResult> {
  const memory = sampleMemory();
  const t0 = performance.now();
  const ids: string[] = [];
  let next = 0;
  let done = 0;
  let lastReport = performance.now();
  // Townships upload one after another, each its three departments' lists.
  const order = [...files].sort(
    (a, b) => a.township.localeCompare(b.township) || a.department.localeCompare(b.department),
  );
  await Promise.all(
    Array.from({ length: config.concurrency }, async () => {
      while (next < order.length) {
        const file = order[next++]!;
        const doc = await registry.submissions.start({ ...file, uploadedBy: 'bench' });
        ids.push(doc._id);
        // Wait for this job: poll its document (by _id alone) unless it is the only one running.
        if (config.concurrency === 1) await registry.submissions.idle();
        else {
          for (;;) {
            const current = await registry.listModels.Submissions.findById(doc._id, { status: 1 }).lean();
            if (current?.status !== 'processing') break;
            await sleep(20);
          }
        }
        done++;
        if (performance.now() - lastReport > 10_000) {
          lastReport = performance.now();
          log(`  import: ${done} of ${order.length} lists`);
        }
      }
    }),
  );
  await registry.submissions.idle();
  const ms = performance.now() - t0;
  const peak = memory.stop();

  const result: ImportResult = {
    ms,
    stored: 0,
    rejected: 0,
    failed: 0,
    rowsStored: 0,
    rowsRejected: 0,
    chunks: 0,
    firstIssues: [],
    memory: peak,
  };
  for (const id of ids) {
    const doc = await registry.listModels.Submissions.findById(id).lean<SubmissionDoc>();
    if (!doc) throw new Error(`submission ${id} is missing`);
    if (doc.status === 'stored') {
      result.stored++;
      result.rowsStored += doc.progress.rowsStored;
      result.chunks += doc.chunks ?? 0;
    } else if (doc.status === 'rejected') {
      result.rejected++;
      result.rowsRejected += new Set(doc.issues.map((i) => i.row)).size;
      for (const issue of doc.issues.slice(0, 3)) {
        if (result.firstIssues.length < 10) {
          result.firstIssues.push(`${doc.filename} row ${issue.row} ${issue.column}: ${issue.code} ${issue.message}`);
        }
      }
    } else {
      result.failed++;
      if (result.firstIssues.length < 10) result.firstIssues.push(`${doc.filename}: ${doc.status} ${doc.error ?? ''}`);
    }
  }
  return result;
}

function emptySummary(): ReconciliationSummary {
  return {
    rows: { civil_affairs: 0, education: 0, public_security: 0 },
    groups: 0,
    exactMatches: 0,
    fuzzyMatches: 0,
    needsReview: 0,
    singles: { civil_affairs: 0, education: 0, public_security: 0 },
    groupsWithConflicts: 0,
    conflictsByField: {},
    comparisons: 0,
    oversizedBlocks: 0,
  };
}

function addSummary(total: ReconciliationSummary, one: ReconciliationSummary): void {
  for (const d of DEPARTMENTS) {
    total.rows[d] += one.rows[d];
    total.singles[d] += one.singles[d];
  }
  total.groups += one.groups;
  total.exactMatches += one.exactMatches;
  total.fuzzyMatches += one.fuzzyMatches;
  total.needsReview += one.needsReview;
  total.groupsWithConflicts += one.groupsWithConflicts;
  total.comparisons += one.comparisons;
  total.oversizedBlocks += one.oversizedBlocks;
  for (const [field, n] of Object.entries(one.conflictsByField)) {
    total.conflictsByField[field] = (total.conflictsByField[field] ?? 0) + n;
  }
}

async function reconcileTownships(
  registry: RegistryService,
  files: readonly CityFile[],
  sampleShare: number,
  truth: CityFiles['truth'],
  idRows: ReadonlySet<string>,
): Promise<ReconcileResult> {
  const all = [...new Set(files.map((f) => f.township))].sort();
  const count =
    config.reconcileTownships > 0
      ? Math.min(all.length, config.reconcileTownships)
      : sampleShare >= 1
        ? all.length
        : Math.min(all.length, Math.max(3, Math.floor(sampleShare * all.length)));
  // An even spread over the sorted codes: every county, small and large townships.
  const townships =
    count === all.length
      ? all
      : Array.from({ length: count }, (_, i) => all[Math.floor(((i + 0.5) * all.length) / count)]!);
  const rowsIn = (list: readonly string[]) =>
    files.filter((f) => list.includes(f.township)).reduce((n, f) => n + f.rows, 0);
  const truthByTownship = new Map<string, [string, number][]>();
  for (const [key, child] of truth) {
    const township = key.slice(0, key.indexOf('|'));
    const list = truthByTownship.get(township);
    if (list) list.push([key, child]);
    else truthByTownship.set(township, [[key, child]]);
  }
  const memory = sampleMemory();
  const summary = emptySummary();
  const pairs = { exact: { planted: 0, found: 0 }, fuzzy: { planted: 0, found: 0 } };
  let falseMerges = 0;
  let largestDoc = 0;
  let ms = 0;
  let lastReport = performance.now();
  for (const [n, township] of townships.entries()) {
    const t0 = performance.now();
    const doc = await registry.reconciliations.run(township, 'bench');
    ms += performance.now() - t0;
    addSummary(summary, doc.summary);
    largestDoc = Math.max(largestDoc, Buffer.byteLength(JSON.stringify(doc)));

    // Quality against the truth (outside the timed part).
    const groupOf = new Map<string, number>();
    const rowsOfChild = new Map<number, string[]>();
    doc.groups.forEach((group, g) => {
      const children = new Set<number>();
      for (const m of group.members) {
        const key = `${township}|${m.source}|${m.rowId}`;
        groupOf.set(key, g);
        children.add(truth.get(key)!);
      }
      if (children.size > 1) falseMerges++;
    });
    for (const [key, child] of truthByTownship.get(township) ?? []) {
      const list = rowsOfChild.get(child);
      if (list) list.push(key);
      else rowsOfChild.set(child, [key]);
    }
    for (const keys of rowsOfChild.values()) {
      for (let x = 0; x < keys.length; x++) {
        for (let y = x + 1; y < keys.length; y++) {
          const bucket = idRows.has(keys[x]!) && idRows.has(keys[y]!) ? pairs.exact : pairs.fuzzy;
          bucket.planted++;
          if (groupOf.get(keys[x]!) === groupOf.get(keys[y]!)) bucket.found++;
        }
      }
    }
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`  reconciliation: ${n + 1} of ${townships.length} townships`);
    }
  }
  const rows = rowsIn(townships);
  const rowsAll = rowsIn(all);
  return {
    ms,
    townships: townships.length,
    rows,
    townshipsAll: all.length,
    rowsAll,
    estimatedMs: (ms * rowsAll) / rows,
    summary,
    pairs,
    falseMerges,
    largestDoc,
    memory: memory.stop(),
  };
}

/**
 * The chunk documents ours stored, read back list by list (not timed) and written again by
 * insertMany (timed) into one fresh collection, `_id` prefixed with the list's id; then the same rows
 * as one plain document each.
 */
async function baseline(registry: RegistryService): Promise<BaselineResult> {
  const db = registry.db.connection.db!;
  const chunkTarget = db.collection('baseline_chunks');
  const rowTarget = db.collection('baseline_rows');
  const memory = sampleMemory();
  const result = { chunkMs: 0, chunkDocs: 0, chunkBytes: 0, rowMs: 0, rowDocs: 0 };
  const lists = await registry.listModels.Submissions.find({ status: 'stored' }).lean<SubmissionDoc[]>();

  let chunks: { _id: string; rows: RowChunkDoc['rows']; list: SubmissionDoc }[] = [];
  let rowsInBatch = 0;
  const flush = async () => {
    if (chunks.length === 0) return;
    let t0 = performance.now();
    await chunkTarget.insertMany(chunks.map(({ _id, rows }) => ({ _id, rows })) as never[], { ordered: true });
    result.chunkMs += performance.now() - t0;
    result.chunkDocs += chunks.length;
    const rows = chunks.flatMap(({ _id, rows, list }) =>
      rows.map((stored) => ({
        _id: `${_id}:${stored.rowNumber}`,
        submissionId: list._id,
        township: list.township,
        department: list.department,
        ...stored,
      })),
    );
    t0 = performance.now();
    await rowTarget.insertMany(rows as never[], { ordered: true });
    result.rowMs += performance.now() - t0;
    result.rowDocs += rows.length;
    chunks = [];
    rowsInBatch = 0;
  };
  for (const list of lists) {
    for (const chunk of await registry.listModels.SubmissionRows(list._id).find({}).toArray()) {
      result.chunkBytes += Buffer.byteLength(JSON.stringify(chunk));
      chunks.push({ _id: `${list._id}:${chunk._id}`, rows: chunk.rows, list });
      rowsInBatch += chunk.rows.length;
      if (rowsInBatch >= config.baselineBatchRows) await flush();
    }
  }
  await flush();
  return { ...result, memory: memory.stop() };
}

/** The import's CPU work alone, on the same files: reading, validating, sealing. Not part of the figures above it. */
async function cpuWork(registry: RegistryService, files: readonly CityFile[]): Promise<CpuResult> {
  const result: CpuResult = { readSheetMs: 0, validateMs: 0, sealMs: 0 };
  const today = new Date();
  for (const file of files) {
    let t0 = performance.now();
    const sheet = await readSheet(file.file, { maxRows: 100_000 });
    result.readSheetMs += performance.now() - t0;
    if (!isSheet(sheet)) continue;
    t0 = performance.now();
    const validated = validateRows(sheet, { township: file.township, department: file.department, today });
    result.validateMs += performance.now() - t0;
    t0 = performance.now();
    for (const row of validated.rows) {
      if (row.idNumber) registry.sealer.index(row.idNumber);
      sealRow(registry.sealer, row);
    }
    result.sealMs += performance.now() - t0;
  }
  return result;
}

async function runScale(scale: number, sampleShare = 1): Promise<ScaleResult> {
  const perDepartment = config.rows * scale;
  log(`${scale}×: generating the city (${fmt(perDepartment)} rows per department)`);
  let t0 = performance.now();
  const generated = cityFiles(generateCity(perDepartment, config.seed));
  const generateMs = performance.now() - t0;
  const { files, truth, stats } = generated;
  const idRows = new Set<string>();
  for (const file of files) {
    const lines = file.file.toString('utf8').split('\r\n');
    lines.forEach((line, i) => {
      if (i > 0 && line.split(',')[3]) idRows.add(`${file.township}|${file.department}|${i + 1}`);
    });
  }
  const townships = [...new Set(files.map((f) => f.township))].sort();
  log(
    `${scale}×: ${fmt(stats.rows)} rows in ${files.length} files (${mib(stats.bytes)} MiB CSV) over ${townships.length} townships, ${fmt(stats.children)} children, in ${secs(generateMs)} s`,
  );

  const registry = openRegistry(scale);
  await registry.db.open();
  const timings = instrument(registry);

  log(`${scale}×: importing ${files.length} lists (${config.concurrency} at a time)`);
  const importing = await importFiles(registry, files);
  log(
    `${scale}×: import ${secs(importing.ms)} s — ${importing.stored} stored, ${importing.rejected} rejected, ${importing.failed} failed`,
  );
  for (const issue of importing.firstIssues) log(`  ${issue}`);

  log(`${scale}×: reconciling townships`);
  const reconciling = await reconcileTownships(registry, files, sampleShare, truth, idRows);
  log(
    `${scale}×: reconciliation of ${reconciling.townships} of ${reconciling.townshipsAll} townships ${secs(reconciling.ms)} s` +
      (reconciling.townships < reconciling.townshipsAll ? `, all extrapolated ${secs(reconciling.estimatedMs)} s` : ''),
  );

  log(`${scale}×: baseline insertMany of the same documents`);
  const base = await baseline(registry);
  log(`${scale}×: baseline chunks ${secs(base.chunkMs)} s, rows ${secs(base.rowMs)} s`);

  log(`${scale}×: the import's CPU work alone (read, validate, seal)`);
  t0 = performance.now();
  const cpu = await cpuWork(registry, files);
  log(`${scale}×: CPU work ${secs(performance.now() - t0)} s`);

  log(`${scale}×: dropping ${registry.db.name}`);
  await registry.db.connection.dropDatabase();
  await registry.db.close();
  registries.splice(registries.indexOf(registry), 1);

  return {
    scale,
    generateMs,
    files: { ...stats, count: files.length },
    importing,
    reconciling,
    baseline: base,
    cpu,
    timings,
  };
}

// ---------------------------------------------------------------------------------------------
// Projection of a larger scale from a measured one

/**
 * Everything is expected to grow with the rows: each list's rows are read back from a collection of
 * their own (a scan of that list only). The baselines' read-back is not timed but takes about as long.
 */
function project(measured: ScaleResult, scale: number): { load: number; reconcile: number } {
  const k = scale / measured.scale;
  return {
    load: (measured.importing.ms + 2 * (measured.baseline.chunkMs + measured.baseline.rowMs)) * k,
    reconcile: measured.reconciling.estimatedMs * k,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

function scaleTable(r: ScaleResult): string {
  const rows = r.files.rows;
  const total = r.importing.ms + r.reconciling.estimatedMs;
  const sampled = r.reconciling.townships < r.reconciling.townshipsAll;
  const t = (name: string) => r.timings[name] ?? { calls: 0, ms: 0 };
  const otherImport = r.importing.ms - t('chunkInsertOne').ms - t('submissionWrites').ms;
  const matcher = r.reconciling.ms - t('latestStored').ms - t('rowsOf').ms - t('storeReconciliation').ms;
  const peak = (m: MemoryPeak) =>
    `${mib(m.rss)} (from ${mib(m.rssAtStart)}) / heap ${mib(m.heapUsed)}${m.ferret !== undefined ? ` / FerretDB ${mib(m.ferret)} (from ${mib(m.ferretAtStart ?? 0)})` : ''}`;
  const s = r.reconciling.summary;
  const lines: string[][] = [
    ['rows (3 departments)', fmt(rows), ''],
    ['townships / files (CSV)', `${r.files.townships} / ${r.files.count}`, `${mib(r.files.bytes)} MiB`],
    [
      'lists stored / rejected / failed',
      `${r.importing.stored} / ${r.importing.rejected} / ${r.importing.failed}`,
      `${fmt(r.importing.rowsRejected)} rows rejected`,
    ],
    [
      'chunk documents (500 rows each at most, a collection per list)',
      fmt(r.importing.chunks),
      `${mib(r.baseline.chunkBytes)} MiB as JSON`,
    ],
    [
      '**ours: import** (start → stored, all lists)',
      `${secs(r.importing.ms)} s`,
      `${fmt(rate(rows, r.importing.ms))} rows/s`,
    ],
    ['  chunk insertOne', `${secs(t('chunkInsertOne').ms)} s`, `${fmt(t('chunkInsertOne').calls)} calls`],
    [
      '  submission document writes',
      `${secs(t('submissionWrites').ms)} s`,
      `${fmt(t('submissionWrites').calls)} calls`,
    ],
    ['  the rest: read, validate, seal, wait', `${secs(otherImport)} s`, ''],
    [
      sampled
        ? `**ours: reconciliation**, measured on ${r.reconciling.townships} of ${r.reconciling.townshipsAll} townships (${fmt(r.reconciling.rows)} rows)`
        : '**ours: reconciliation** (run per township)',
      `${secs(r.reconciling.ms)} s`,
      `${fmt(rate(r.reconciling.rows, r.reconciling.ms))} rows/s`,
    ],
    ['  latestStored', `${secs(t('latestStored').ms)} s`, `${fmt(t('latestStored').calls)} calls`],
    ["  rowsOf (the list's collection, one scan)", `${secs(t('rowsOf').ms)} s`, `${fmt(t('rowsOf').calls)} lists`],
    [
      '  storing the result',
      `${secs(t('storeReconciliation').ms)} s`,
      `largest ${fmt(r.reconciling.largestDoc / 1024)} KiB as JSON`,
    ],
    ['  the rest: matcher', `${secs(matcher)} s`, `${fmt(s.comparisons)} pairs scored`],
    ...(sampled
      ? [
          [
            `  all ${r.reconciling.townshipsAll} townships, extrapolated by rows`,
            `≈ ${secs(r.reconciling.estimatedMs)} s`,
            '',
          ],
        ]
      : []),
    [
      sampled ? '**ours: total** (≈: extrapolated)' : '**ours: total**',
      `${sampled ? '≈ ' : ''}${secs(total)} s`,
      `${fmt(rate(rows, total))} rows/s`,
    ],
    [
      '**baseline: insertMany of the same chunk documents**',
      `${secs(r.baseline.chunkMs)} s`,
      `${fmt(rate(rows, r.baseline.chunkMs))} rows/s`,
    ],
    [
      'baseline: insertMany, one document per row',
      `${secs(r.baseline.rowMs)} s`,
      `${fmt(rate(rows, r.baseline.rowMs))} rows/s`,
    ],
    [
      '**ours / baseline** (time: import; import + reconciliation)',
      `${fmt(r.importing.ms / r.baseline.chunkMs, 1)}× ; ${fmt(total / r.baseline.chunkMs, 1)}×`,
      `rows/s ${pct(r.baseline.chunkMs / total)} of baseline`,
    ],
    ['peak RSS MiB: import', peak(r.importing.memory), ''],
    ['peak RSS MiB: reconciliation', peak(r.reconciling.memory), ''],
    ['peak RSS MiB: baseline', peak(r.baseline.memory), ''],
    [
      'CPU alone: readSheet / validateRows / seal',
      `${secs(r.cpu.readSheetMs)} / ${secs(r.cpu.validateMs)} / ${secs(r.cpu.sealMs)} s`,
      '',
    ],
  ];
  return table([`${r.scale}× (${fmt(r.files.rows / 3)} rows per department)`, 'value', ''], lines);
}

function summaryTable(results: readonly ScaleResult[]): string {
  const line = (label: string, value: (r: ScaleResult) => string) => [label, ...results.map(value)];
  const s = (r: ScaleResult) => r.reconciling.summary;
  const recall = (p: { planted: number; found: number }) =>
    `${fmt(p.found)} of ${fmt(p.planted)} (${p.planted > 0 ? ((p.found / p.planted) * 100).toFixed(1) : '–'} %)`;
  return table(
    [
      'reconciliation',
      ...results.map((r) =>
        r.reconciling.townships < r.reconciling.townshipsAll
          ? `${r.scale}× (${r.reconciling.townships} of ${r.reconciling.townshipsAll} townships)`
          : `${r.scale}×`,
      ),
    ],
    [
      line('rows civil affairs / education / public security', (r) =>
        DEPARTMENTS.map((d) => fmt(s(r).rows[d])).join(' / '),
      ),
      line('groups', (r) => fmt(s(r).groups)),
      line('exact matches (ID)', (r) => fmt(s(r).exactMatches)),
      line('fuzzy matches', (r) => fmt(s(r).fuzzyMatches)),
      line('needing review', (r) => fmt(s(r).needsReview)),
      line('singles (one department only)', (r) => fmt(DEPARTMENTS.reduce((n, d) => n + s(r).singles[d], 0))),
      line('groups with conflicting facts', (r) => fmt(s(r).groupsWithConflicts)),
      line('pairs scored', (r) => fmt(s(r).comparisons)),
      line('oversized blocks skipped', (r) => fmt(s(r).oversizedBlocks)),
      line('pairs sharing an ID, grouped', (r) => recall(r.reconciling.pairs.exact)),
      line('other pairs of one child, grouped', (r) => recall(r.reconciling.pairs.fuzzy)),
      line('groups mixing two children', (r) => fmt(r.reconciling.falseMerges)),
    ],
  );
}

function filesTable(results: readonly ScaleResult[]): string {
  const line = (label: string, value: (r: ScaleResult) => string) => [label, ...results.map(value)];
  return table(
    ['the files', ...results.map((r) => `${r.scale}×`)],
    [
      line('children in the city', (r) => fmt(r.files.children)),
      line('rows / with an ID number', (r) => `${fmt(r.files.rows)} / ${fmt(r.files.rowsWithId)}`),
      line('names in traditional characters or homophones', (r) => fmt(r.files.noisyNames)),
      line('birth dates swapped or mistyped', (r) => fmt(r.files.noisyDates)),
      line('listed in another village of the township', (r) => fmt(r.files.movedVillages)),
      line('empty required cells filled (sex / date / village)', (r) =>
        [r.files.restored.sex, r.files.restored.birthDate, r.files.restored.regionCode].map((n) => fmt(n)).join(' / '),
      ),
      line('ID numbers left out for a mistyped date', (r) => fmt(r.files.idsDroppedForNoisyDate)),
      line('rows left out as in-file duplicates', (r) => fmt(r.files.duplicatesLeftOut)),
      line('generation time (s, not measured below)', (r) => secs(r.generateMs)),
    ],
  );
}

const rowsOfPerRow = (r: ScaleResult) => (r.timings.rowsOf?.ms ?? 0) / r.reconciling.rows;

function growthLines(results: readonly ScaleResult[]): string[] {
  const base = results[0]!;
  return results.slice(1).map((r) => {
    const rows = r.files.rows / base.files.rows;
    const ours = (r.importing.ms + r.reconciling.estimatedMs) / (base.importing.ms + base.reconciling.estimatedMs);
    return (
      `${r.scale}× vs ${base.scale}×: rows ×${fmt(rows, 1)}; ours ×${fmt(ours, 1)} ` +
      `(import ×${fmt(r.importing.ms / base.importing.ms, 1)}, reconciliation ×${fmt(r.reconciling.estimatedMs / base.reconciling.estimatedMs, 1)}` +
      `${r.reconciling.townships < r.reconciling.townshipsAll ? ' extrapolated' : ''}, ` +
      `rowsOf per row read ×${fmt(rowsOfPerRow(r) / rowsOfPerRow(base), 1)}); ` +
      `baseline insertMany ×${fmt(r.baseline.chunkMs / base.baseline.chunkMs, 1)}`
    );
  });
}

function report(
  machine: MachineInfo,
  results: readonly ScaleResult[],
  skipped: string[],
  totalSeconds: number,
  loadAfter: string,
): string {
  return [
    `Run ${RUN}, ${new Date().toISOString()}`,
    `- CPU: ${machine.cpus} × ${machine.cpuModel}; memory ${machine.memoryGiB} GiB; ${machine.os}`,
    `- Node ${machine.node}; database: ${machine.database}, on this machine`,
    `- city seed ${config.seed}, ${fmt(config.rows)} rows per department at 1×; lists imported ${config.concurrency} at a time`,
    `- load average (1/5/15 min) before: ${machine.loadBefore}; after: ${loadAfter}; the run took ${fmt(totalSeconds)} s`,
    '',
    ...results.flatMap((r) => [scaleTable(r), '']),
    summaryTable(results),
    '',
    filesTable(results),
    '',
    ...growthLines(results),
    ...skipped,
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

async function main(): Promise<void> {
  log(`bench ${RUN}: database ${config.mongodbUri}, scales ${config.scales.join(', ')}× of ${fmt(config.rows)} rows`);
  const probe = openRegistry(0);
  await probe.db.open();
  const machine = await machineInfo(probe);
  await probe.db.close();
  registries.splice(registries.indexOf(probe), 1);
  log(
    `${machine.cpus} CPUs, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.database}, load ${machine.loadBefore}`,
  );

  const results: ScaleResult[] = [];
  const skipped: string[] = [];
  for (const scale of config.scales) {
    const measured = results[results.length - 1];
    let sampleShare = 1;
    if (measured) {
      const { load, reconcile } = project(measured, scale);
      const budget = config.maxMinutes * 60_000;
      const minutes = (ms: number) => fmt(ms / 60_000, 1);
      const projection = `projected from ${measured.scale}×: import + baselines ${minutes(load)} min, reconciliation ${minutes(reconcile)} min`;
      log(`${scale}×: ${projection}`);
      if (load > budget * 0.8) {
        const message = `${scale}× skipped: ${projection}, over BENCH_MAX_MINUTES=${config.maxMinutes}`;
        log(message);
        skipped.push(message);
        continue;
      }
      if (load + reconcile > budget) {
        sampleShare = (budget - load) / reconcile;
        const message = `${scale}×: reconciliation measured on a sample of the townships and extrapolated by rows (${projection}, over BENCH_MAX_MINUTES=${config.maxMinutes})`;
        log(message);
        skipped.push(message);
      }
    }
    const result = await runScale(scale, sampleShare);
    results.push(result);
    // Printed as soon as a scale is done, so an interrupted run keeps what it measured.
    console.log(`\n${scaleTable(result)}\n`);
  }
  if (results.length === 0) return;
  const totalSeconds = (performance.now() - started) / 1000;
  const printed = report(machine, results, skipped, totalSeconds, loadAverage());
  console.log(`\n${printed}\n`);
  const draftPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs-bench-draft.md');
  writeFileSync(draftPath, `# bench:registry draft\n\n\`\`\`text\n${printed}\n\`\`\`\n`);
  log(`figures written to ${draftPath}`);
}

let exitCode = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: dropping the bench databases before exiting`);
    void cleanup().finally(() => process.exit(130));
  });
}
try {
  await main();
} catch (error) {
  exitCode = 1;
  console.error(`bench failed: ${(error as Error).stack ?? String(error)}`);
} finally {
  await cleanup().catch((error: Error) => console.error(`cleanup failed: ${error.message}`));
  log(`done; load average ${loadAverage()}`);
}
process.exit(exitCode);
