/**
 * Cross-checking (比对核实) one area's lists from civil affairs, education and public security into
 * one list of children. Pure: the caller loads the rows and stores the groups.
 *
 * Two phases:
 * 1. Rows with the same ID-number blind index are the same child (`exact`).
 * 2. Everything is then scored pairwise on name, birth date, village and sex, but only within
 *    blocks (same county and birth date up to a day/month swap; same name sound, narrowed by birth
 *    year or township for very common names), so a whole city costs a few comparisons per row,
 *    not all pairs. Pairs are merged greedily from the best score down, one row per department per
 *    group, never across two different ID numbers.
 *
 * Scoring (weights sum to 1; a field missing on either side scores 0.5, "don't know"):
 *   name 0.40      same after traditional→simplified 1 · same pinyin (homophone, variant
 *                  character) 0.9 · same sound in Hunan speech (n/l, f/h, z/zh, an/ang…) 0.7 ·
 *                  one character differs, surname equal, 3+ characters 0.6 · otherwise 0
 *   birth date 0.35  equal 1 · day and month swapped 0.8 · one digit differs 0.75 · otherwise 0
 *   village 0.15   same 12-digit code 1 · same township (9 digits) 0.6 · same county (6) 0.2 · else 0
 *   sex 0.10       equal 1 · different 0
 * Vetoes (never merged, whatever the score): both ID indexes present and different; names
 * different (or missing); birth dates both present and different beyond a swap or one-digit typo.
 *
 * Decisions: score ≥ `threshold` (default 0.7) is merged; a merged fuzzy group scoring below
 * `reviewBelow` (default 0.9) is a proposal with `needsReview`. So with every field present, an
 * exact name + exact date + same village is accepted, a homophone with the same date and village is
 * accepted (0.96), a dialect homophone or one-character difference is proposed, and the same name
 * with no birth date on one side is proposed (0.825). A group is also flagged when a second
 * candidate from the same department scored within 0.05 (ambiguous), or when name, birth date or
 * sex differ inside it (e.g. an ID match whose names disagree: a mistyped ID number is likelier).
 */
import type { Sex, SourceDepartment, SubmissionRow } from '../domain/child.js';
import {
  compareDates,
  editDistance,
  normaliseName,
  parseDate,
  swapTolerantDateKey,
  type NormalisedDate,
  type NormalisedName,
} from './normalise.js';

export const DEPARTMENTS: readonly SourceDepartment[] = ['civil_affairs', 'education', 'public_security'];

const DEPARTMENT_ZH: Record<SourceDepartment, string> = {
  civil_affairs: '民政',
  education: '教育',
  public_security: '公安',
};

export interface MatchRecord {
  source: SourceDepartment;
  /** The row's id in the caller's store; unique within one department's list. */
  rowId: string;
  /** HMAC blind index of the resident ID number: compared for equality only. */
  idIndex?: string;
  row: SubmissionRow;
}

export type ReconciliationInput = Record<SourceDepartment, readonly MatchRecord[]>;

export interface ReconcileOptions {
  /** Minimum score for a fuzzy match to be merged at all. Default 0.7. */
  threshold?: number;
  /** Merged fuzzy groups scoring below this need an officer's review. Default 0.9; must be ≥ threshold. */
  reviewBelow?: number;
}

export const DEFAULT_THRESHOLD = 0.7;
export const DEFAULT_REVIEW_BELOW = 0.9;
export const FIELD_WEIGHTS = { name: 0.4, birthDate: 0.35, regionCode: 0.15, sex: 0.1 } as const;
/** A second candidate this close to the chosen one makes a group ambiguous. */
export const AMBIGUITY_MARGIN = 0.05;
/** Blocks with more rows than this from one department are skipped (counted in the summary); a name-sound block falls back to narrower keys first. */
export const MAX_BLOCK_PER_DEPARTMENT = 100;

export type MatchField = 'idNumber' | 'name' | 'birthDate' | 'sex' | 'regionCode';
export type FieldOutcome = 'equal' | 'similar' | 'different' | 'missing';

export interface FieldReason {
  field: MatchField;
  outcome: FieldOutcome;
  /** The field's own similarity, 0..1 (0.5 when missing), before weighting. */
  score: number;
  detail: string;
  detailZh: string;
}

export interface FieldConflict {
  field: string;
  values: { source: SourceDepartment; value: string }[];
}

export interface GroupMember {
  source: SourceDepartment;
  rowId: string;
}

export interface GroupNote {
  code: 'ambiguous_candidate' | 'identity_differs';
  detail: string;
  detailZh: string;
}

export interface MatchGroup {
  /** `<source>:<rowId>` of the first member (departments in DEPARTMENTS order): stable for the same input. */
  groupId: string;
  members: GroupMember[];
  kind: 'exact' | 'fuzzy' | 'single';
  /** exact 1; fuzzy the weakest link's score; single 0. */
  score: number;
  needsReview: boolean;
  /** Per field, the weakest comparison between any two members; empty for a single. */
  reasons: FieldReason[];
  conflicts: FieldConflict[];
  /** Why a group needs review beyond its score. */
  notes: GroupNote[];
}

export interface ReconciliationSummary {
  rows: Record<SourceDepartment, number>;
  groups: number;
  exactMatches: number;
  fuzzyMatches: number;
  needsReview: number;
  singles: Record<SourceDepartment, number>;
  groupsWithConflicts: number;
  /**
   * Groups with a conflict, per field; nested fields are written with `_` (`guardian_name`): the
   * summary is stored as a document, and FerretDB refuses dots in field names.
   */
  conflictsByField: Record<string, number>;
  /** Pairs scored: a measure of how well blocking worked. */
  comparisons: number;
  /** Blocking keys skipped for having more than MAX_BLOCK_PER_DEPARTMENT rows from one department. */
  oversizedBlocks: number;
}

export interface ReconciliationResult {
  groups: MatchGroup[];
  summary: ReconciliationSummary;
}

/* ------------------------------------------------------------------------------------------------
 * Preparation
 * ---------------------------------------------------------------------------------------------- */

interface Prepared {
  record: MatchRecord;
  dept: number;
  /** Position in its department's list, for a stable output order. */
  position: number;
  name: NormalisedName;
  date: NormalisedDate | undefined;
  sex: Sex | undefined;
  region: string | undefined;
  idIndex: string | undefined;
}

function nonEmpty(value: string | undefined | null): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function prepare(input: ReconciliationInput): Prepared[] {
  const prepared: Prepared[] = [];
  DEPARTMENTS.forEach((source, dept) => {
    const seen = new Set<string>();
    input[source].forEach((record, position) => {
      if (record.source !== source) {
        throw new Error(`reconcile: row ${record.rowId} has source ${record.source} but is in the ${source} list`);
      }
      if (seen.has(record.rowId)) throw new Error(`reconcile: duplicate rowId ${record.rowId} in the ${source} list`);
      seen.add(record.rowId);
      prepared.push({
        record,
        dept,
        position,
        name: normaliseName(record.row.name ?? ''),
        date: parseDate(record.row.birthDate),
        sex: record.row.sex,
        region: nonEmpty(record.row.regionCode),
        idIndex: nonEmpty(record.idIndex),
      });
    });
  });
  return prepared;
}

/* ------------------------------------------------------------------------------------------------
 * Comparing two rows
 * ---------------------------------------------------------------------------------------------- */

type NameCode = 'same' | 'same_simplified' | 'same_pinyin' | 'dialect' | 'one_char' | 'different' | 'missing';
type DateCode = 'equal' | 'swapped' | 'typo' | 'different' | 'missing';
type RegionCode = 'same_village' | 'same_township' | 'same_county' | 'different' | 'missing';
type SimpleCode = 'equal' | 'different' | 'missing';

const NAME_SCORE: Record<NameCode, number> = {
  same: 1,
  same_simplified: 1,
  same_pinyin: 0.9,
  dialect: 0.7,
  one_char: 0.6,
  different: 0,
  missing: 0.5,
};
const DATE_SCORE: Record<DateCode, number> = { equal: 1, swapped: 0.8, typo: 0.75, different: 0, missing: 0.5 };
const REGION_SCORE: Record<RegionCode, number> = {
  same_village: 1,
  same_township: 0.6,
  same_county: 0.2,
  different: 0,
  missing: 0.5,
};
const SIMPLE_SCORE: Record<SimpleCode, number> = { equal: 1, different: 0, missing: 0.5 };

function compareNames(a: NormalisedName, b: NormalisedName): NameCode {
  if (!a.simplified || !b.simplified) return 'missing';
  if (a.simplified === b.simplified) return a.display === b.display ? 'same' : 'same_simplified';
  if (a.pinyin === b.pinyin) return 'same_pinyin';
  if (a.dialectPinyin === b.dialectPinyin) return 'dialect';
  if (
    a.chars[0] === b.chars[0] &&
    Math.max(a.chars.length, b.chars.length) >= 3 &&
    Math.abs(a.chars.length - b.chars.length) <= 1 &&
    editDistance(a.chars, b.chars) === 1
  ) {
    return 'one_char';
  }
  return 'different';
}

function compareRegions(a: string | undefined, b: string | undefined): RegionCode {
  if (!a || !b) return 'missing';
  if (a === b) return 'same_village';
  if (a.length >= 9 && a.slice(0, 9) === b.slice(0, 9)) return 'same_township';
  if (a.length >= 6 && a.slice(0, 6) === b.slice(0, 6)) return 'same_county';
  return 'different';
}

function compareSimple<T>(a: T | undefined, b: T | undefined): SimpleCode {
  if (a === undefined || b === undefined) return 'missing';
  return a === b ? 'equal' : 'different';
}

interface PairComparison {
  vetoed: boolean;
  score: number;
  id: SimpleCode;
  name: NameCode;
  date: DateCode;
  region: RegionCode;
  sex: SimpleCode;
}

function comparePair(a: Prepared, b: Prepared): PairComparison {
  const id = compareSimple(a.idIndex, b.idIndex);
  const name = compareNames(a.name, b.name);
  const date = compareDates(a.date, b.date);
  const region = compareRegions(a.region, b.region);
  const sex = compareSimple(a.sex, b.sex);
  const vetoed = id === 'different' || name === 'different' || name === 'missing' || date === 'different';
  const score =
    FIELD_WEIGHTS.name * NAME_SCORE[name] +
    FIELD_WEIGHTS.birthDate * DATE_SCORE[date] +
    FIELD_WEIGHTS.regionCode * REGION_SCORE[region] +
    FIELD_WEIGHTS.sex * SIMPLE_SCORE[sex];
  return { vetoed, score: Math.round(score * 1e6) / 1e6, id, name, date, region, sex };
}

/* ------------------------------------------------------------------------------------------------
 * Clusters: partial groups, at most one row per department
 * ---------------------------------------------------------------------------------------------- */

interface Cluster {
  members: number[];
  deptMask: number;
  idIndex: string | undefined;
  /** Formed by ID index with 2+ members. */
  exact: boolean;
  /** Scores of the fuzzy merges that built it. */
  fuzzyLinks: number[];
  ambiguous: boolean;
}

interface Candidate {
  a: number;
  b: number;
  score: number;
}

/**
 * Primary blocks: the same county and birth date (up to a day/month swap), which catches names that
 * differ in sound (a one-character slip) without comparing every child born that day across the
 * city; and the same name sound (dialect-folded pinyin). A common name can make a sound block too
 * big; its rows then fall back to the narrower sound + birth year and sound + township blocks.
 */
function primaryKeys(p: Prepared): string[] {
  const keys: string[] = [];
  if (p.date && p.region && p.region.length >= 6) keys.push(`d|${p.region.slice(0, 6)}|${swapTolerantDateKey(p.date)}`);
  if (p.name.dialectPinyin) keys.push(`n|${p.name.dialectPinyin}`);
  return keys;
}

function fallbackKeys(p: Prepared): string[] {
  const keys: string[] = [];
  if (p.date) keys.push(`y|${p.date.year}|${p.name.dialectPinyin}`);
  if (p.region && p.region.length >= 9) keys.push(`t|${p.region.slice(0, 9)}|${p.name.dialectPinyin}`);
  return keys;
}

function addToBlock<K>(blocks: Map<K, number[]>, key: K, i: number): void {
  const block = blocks.get(key);
  if (block) block.push(i);
  else blocks.set(key, [i]);
}

/** Rows per department in a block; 0 when fewer than two departments are present. */
function largestDepartmentShare(block: readonly number[], rows: readonly Prepared[]): number {
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  for (const i of block) {
    const dept = rows[i]!.dept;
    if (dept === 0) c0++;
    else if (dept === 1) c1++;
    else c2++;
  }
  const present = (c0 > 0 ? 1 : 0) + (c1 > 0 ? 1 : 0) + (c2 > 0 ? 1 : 0);
  return present < 2 ? 0 : Math.max(c0, c1, c2);
}

function validateOptions(options: ReconcileOptions): { threshold: number; reviewBelow: number } {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const reviewBelow = options.reviewBelow ?? Math.max(DEFAULT_REVIEW_BELOW, threshold);
  if (!(threshold > 0 && threshold <= 1))
    throw new RangeError(`reconcile: threshold must be in (0, 1], got ${threshold}`);
  if (!(reviewBelow >= threshold && reviewBelow <= 1)) {
    throw new RangeError(`reconcile: reviewBelow must be in [threshold, 1], got ${reviewBelow}`);
  }
  return { threshold, reviewBelow };
}

export function reconcile(input: ReconciliationInput, options: ReconcileOptions = {}): ReconciliationResult {
  const { threshold, reviewBelow } = validateOptions(options);
  const rows = prepare(input);
  const n = rows.length;

  // Phase 1: ID index.
  const clusters: Cluster[] = [];
  const clusterOf = new Int32Array(n);
  const byIdIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const bit = 1 << row.dept;
    const existing = row.idIndex === undefined ? undefined : byIdIndex.get(row.idIndex);
    const cluster = existing === undefined ? undefined : clusters[existing];
    if (cluster && existing !== undefined && (cluster.deptMask & bit) === 0) {
      cluster.members.push(i);
      cluster.deptMask |= bit;
      cluster.exact = true;
      clusterOf[i] = existing;
      continue;
    }
    // A second row with the same ID index in one department is a duplicate on that list: it stays
    // on its own (it can still be matched by score, never against a different ID).
    clusterOf[i] = clusters.length;
    if (row.idIndex !== undefined && existing === undefined) byIdIndex.set(row.idIndex, clusters.length);
    clusters.push({
      members: [i],
      deptMask: bit,
      idIndex: row.idIndex,
      exact: false,
      fuzzyLinks: [],
      ambiguous: false,
    });
  }

  // Phase 2: candidates within blocks.
  const blocks = new Map<string, number[]>();
  for (let i = 0; i < n; i++) for (const key of primaryKeys(rows[i]!)) addToBlock(blocks, key, i);
  const fallback = new Map<string, number[]>();
  for (const [key, block] of blocks) {
    if (!key.startsWith('n|') || largestDepartmentShare(block, rows) <= MAX_BLOCK_PER_DEPARTMENT) continue;
    for (const i of block) for (const k of fallbackKeys(rows[i]!)) addToBlock(fallback, k, i);
  }
  const seen = new Set<number>();
  const candidates: Candidate[] = [];
  let comparisons = 0;
  let oversizedBlocks = 0;
  for (const block of [...blocks.values(), ...fallback.values()]) {
    if (block.length < 2) continue;
    const largest = largestDepartmentShare(block, rows);
    if (largest === 0) continue;
    if (largest > MAX_BLOCK_PER_DEPARTMENT) {
      oversizedBlocks++;
      continue;
    }
    for (let x = 0; x < block.length; x++) {
      const i = block[x]!;
      const a = rows[i]!;
      for (let y = x + 1; y < block.length; y++) {
        const j = block[y]!;
        const b = rows[j]!;
        if (a.dept === b.dept || clusterOf[i] === clusterOf[j]) continue;
        // Blocks list rows in input order, so i < j.
        const pairKey = i * n + j;
        if (seen.has(pairKey)) continue;
        seen.add(pairKey);
        comparisons++;
        const compared = comparePair(a, b);
        if (!compared.vetoed && compared.score >= threshold) candidates.push({ a: i, b: j, score: compared.score });
      }
    }
  }
  candidates.sort((x, y) => y.score - x.score || x.a - y.a || x.b - y.b);

  const candidatesOf = new Map<number, number[]>();
  candidates.forEach((c, k) => {
    addToBlock(candidatesOf, c.a, k);
    addToBlock(candidatesOf, c.b, k);
  });

  // A close second candidate from the same department as the chosen partner, not already taken
  // by a group that has this row's department.
  const hasCloseRival = (self: number, partner: number, score: number): boolean => {
    const partnerDept = rows[partner]!.dept;
    const selfBit = 1 << rows[self]!.dept;
    for (const k of candidatesOf.get(self) ?? []) {
      const c = candidates[k]!;
      const other = c.a === self ? c.b : c.a;
      if (other === partner || rows[other]!.dept !== partnerDept) continue;
      if (c.score < score - AMBIGUITY_MARGIN) continue;
      const otherCluster = clusters[clusterOf[other]!]!;
      if (clusterOf[other] !== clusterOf[self] && (otherCluster.deptMask & selfBit) === 0) return true;
    }
    return false;
  };

  for (const candidate of candidates) {
    const ca = clusterOf[candidate.a]!;
    const cb = clusterOf[candidate.b]!;
    if (ca === cb) continue;
    const A = clusters[ca]!;
    const B = clusters[cb]!;
    if ((A.deptMask & B.deptMask) !== 0) continue;
    if (A.idIndex !== undefined && B.idIndex !== undefined && A.idIndex !== B.idIndex) continue;
    // Every member must fit every other, not just the pair that brought the clusters together.
    let link = candidate.score;
    for (const i of A.members) {
      for (const j of B.members) {
        if ((i === candidate.a && j === candidate.b) || (i === candidate.b && j === candidate.a)) continue;
        const compared = comparePair(rows[i]!, rows[j]!);
        link = compared.vetoed ? -1 : Math.min(link, compared.score);
      }
    }
    if (link < threshold) continue;
    const ambiguous =
      hasCloseRival(candidate.a, candidate.b, candidate.score) ||
      hasCloseRival(candidate.b, candidate.a, candidate.score);
    const [keep, drop, dropId] = A.members.length >= B.members.length ? [A, B, cb] : [B, A, ca];
    const keepId = dropId === ca ? cb : ca;
    for (const m of drop.members) {
      keep.members.push(m);
      clusterOf[m] = keepId;
    }
    keep.deptMask |= drop.deptMask;
    keep.idIndex ??= drop.idIndex;
    keep.exact ||= drop.exact;
    keep.fuzzyLinks.push(...drop.fuzzyLinks, link);
    keep.ambiguous ||= drop.ambiguous || ambiguous;
    drop.members = [];
  }

  return finalise(rows, clusters, reviewBelow, comparisons, oversizedBlocks);
}

/* ------------------------------------------------------------------------------------------------
 * Groups, reasons, conflicts, summary
 * ---------------------------------------------------------------------------------------------- */

function finalise(
  rows: Prepared[],
  clusters: Cluster[],
  reviewBelow: number,
  comparisons: number,
  oversizedBlocks: number,
): ReconciliationResult {
  const live = clusters.filter((c) => c.members.length > 0);
  for (const c of live) c.members.sort((i, j) => rows[i]!.dept - rows[j]!.dept);
  const kindOf = (c: Cluster): MatchGroup['kind'] =>
    c.members.length === 1 ? 'single' : c.fuzzyLinks.length === 0 ? 'exact' : 'fuzzy';
  const kindOrder = { exact: 0, fuzzy: 1, single: 2 } as const;
  const first = (c: Cluster): Prepared => rows[c.members[0]!]!;
  live.sort(
    (x, y) =>
      kindOrder[kindOf(x)] - kindOrder[kindOf(y)] ||
      first(x).dept - first(y).dept ||
      first(x).position - first(y).position,
  );

  const summary: ReconciliationSummary = {
    rows: { civil_affairs: 0, education: 0, public_security: 0 },
    groups: live.length,
    exactMatches: 0,
    fuzzyMatches: 0,
    needsReview: 0,
    singles: { civil_affairs: 0, education: 0, public_security: 0 },
    groupsWithConflicts: 0,
    conflictsByField: {},
    comparisons,
    oversizedBlocks,
  };
  for (const row of rows) summary.rows[row.record.source]++;

  const groups = live.map((cluster): MatchGroup => {
    const members = cluster.members.map((i) => rows[i]!);
    const kind = kindOf(cluster);
    const score = kind === 'single' ? 0 : kind === 'exact' ? 1 : Math.min(...cluster.fuzzyLinks);
    const reasons = kind === 'single' ? [] : groupReasons(members);
    const conflicts = groupConflicts(members);
    const notes: GroupNote[] = [];
    if (cluster.ambiguous) {
      notes.push({
        code: 'ambiguous_candidate',
        detail: 'another row from the same department scored almost as well',
        detailZh: '同一部门另有一条记录得分相近，需人工确认',
      });
    }
    const differing = reasons.filter(
      (r) => r.outcome === 'different' && (r.field === 'name' || r.field === 'birthDate' || r.field === 'sex'),
    );
    if (differing.length > 0) {
      notes.push({
        code: 'identity_differs',
        detail: `members differ on ${differing.map((r) => r.field).join(', ')}`,
        detailZh: `成员的${differing.map((r) => FIELD_ZH[r.field]).join('、')}不一致`,
      });
    }
    const needsReview = (kind === 'fuzzy' && score < reviewBelow) || notes.length > 0;

    if (kind === 'exact') summary.exactMatches++;
    else if (kind === 'fuzzy') summary.fuzzyMatches++;
    else summary.singles[members[0]!.record.source]++;
    if (needsReview) summary.needsReview++;
    if (conflicts.length > 0) summary.groupsWithConflicts++;
    for (const c of conflicts) {
      const key = c.field.replaceAll('.', '_');
      summary.conflictsByField[key] = (summary.conflictsByField[key] ?? 0) + 1;
    }

    const head = members[0]!.record;
    return {
      groupId: `${head.source}:${head.rowId}`,
      members: members.map((m) => ({ source: m.record.source, rowId: m.record.rowId })),
      kind,
      score,
      needsReview,
      reasons,
      conflicts,
      notes,
    };
  });

  return { groups, summary };
}

const FIELD_ZH: Record<MatchField, string> = {
  idNumber: '公民身份号码',
  name: '姓名',
  birthDate: '出生日期',
  sex: '性别',
  regionCode: '居住村（社区）',
};
const SEX_ZH: Record<Sex, string> = { female: '女', male: '男' };

type Text = [outcome: FieldOutcome, detail: string, detailZh: string];

// Built per code on demand: a city has tens of thousands of groups, so no unused strings.
const NAME_TEXT: Record<NameCode, (names: string, pinyin: string) => Text> = {
  same: (n) => ['equal', `same name (${n})`, `姓名相同（${n}）`],
  same_simplified: (n) => ['equal', `same name after traditional→simplified (${n})`, `繁简转换后姓名相同（${n}）`],
  same_pinyin: (n, py) => ['similar', `same pinyin ${py}, different characters (${n})`, `姓名拼音相同（${n}）`],
  dialect: (n) => ['similar', `names sound alike in local speech (${n})`, `姓名方言近音（${n}）`],
  one_char: (n) => ['similar', `names differ by one character (${n})`, `姓名相差一字（${n}）`],
  different: (n) => ['different', `different names (${n})`, `姓名不同（${n}）`],
  missing: () => ['missing', 'name missing', '姓名缺失'],
};
const DATE_TEXT: Record<DateCode, (dates: string) => Text> = {
  equal: (d) => ['equal', `same birth date (${d})`, `出生日期相同（${d}）`],
  swapped: (d) => ['similar', `day and month swapped (${d})`, `出生日期月日颠倒（${d}）`],
  typo: (d) => ['similar', `birth dates differ by one digit (${d})`, `出生日期相差一位数字（${d}）`],
  different: (d) => ['different', `different birth dates (${d})`, `出生日期不同（${d}）`],
  missing: () => ['missing', 'birth date missing', '出生日期缺失'],
};
const SEX_TEXT: Record<SimpleCode, (en: string, zh: string) => Text> = {
  equal: (en, zh) => ['equal', `same sex (${en})`, `性别相同（${zh}）`],
  different: (en, zh) => ['different', `different sex (${en})`, `性别不同（${zh}）`],
  missing: () => ['missing', 'sex missing', '性别缺失'],
};
const REGION_TEXT: Record<RegionCode, (codes: string) => Text> = {
  same_village: (c) => ['equal', `same village (${c})`, `同一村（社区）（${c}）`],
  same_township: (c) => [
    'similar',
    `same township, different village (${c})`,
    `同一乡镇（街道），村（社区）不同（${c}）`,
  ],
  same_county: (c) => ['similar', `same county, different township (${c})`, `同一县市区，乡镇（街道）不同（${c}）`],
  different: (c) => ['different', `different county (${c})`, `居住地不在同一县市区（${c}）`],
  missing: () => ['missing', 'village missing', '居住村（社区）缺失'],
};
const ID_TEXT: Record<SimpleCode, Text> = {
  equal: ['equal', 'same ID number (blind index)', '公民身份号码相同'],
  different: ['different', 'different ID numbers', '公民身份号码不同'],
  missing: ['missing', 'ID number missing', '公民身份号码缺失'],
};

function pair(x: string | undefined, y: string | undefined): string {
  return x === y ? `${x}` : `${x} / ${y}`;
}

function describePair(field: MatchField, a: Prepared, b: Prepared, c: PairComparison): FieldReason {
  let text: Text;
  let score: number;
  switch (field) {
    case 'idNumber':
      [text, score] = [ID_TEXT[c.id], SIMPLE_SCORE[c.id]];
      break;
    case 'name':
      [text, score] = [NAME_TEXT[c.name](pair(a.name.display, b.name.display), a.name.pinyin), NAME_SCORE[c.name]];
      break;
    case 'birthDate':
      [text, score] = [DATE_TEXT[c.date](pair(a.date?.iso, b.date?.iso)), DATE_SCORE[c.date]];
      break;
    case 'sex':
      text = SEX_TEXT[c.sex](pair(a.sex, b.sex), pair(a.sex && SEX_ZH[a.sex], b.sex && SEX_ZH[b.sex]));
      score = SIMPLE_SCORE[c.sex];
      break;
    case 'regionCode':
      [text, score] = [REGION_TEXT[c.region](pair(a.region, b.region)), REGION_SCORE[c.region]];
      break;
  }
  const [outcome, detail, detailZh] = text;
  return { field, outcome, score, detail, detailZh };
}

function hasField(field: MatchField, p: Prepared): boolean {
  switch (field) {
    case 'idNumber':
      return p.idIndex !== undefined;
    case 'name':
      return p.name.simplified !== '';
    case 'birthDate':
      return p.date !== undefined;
    case 'sex':
      return p.sex !== undefined;
    case 'regionCode':
      return p.region !== undefined;
  }
}

const MATCH_FIELDS: readonly MatchField[] = ['idNumber', 'name', 'birthDate', 'sex', 'regionCode'];

/** Per field, the weakest comparison among members that both have it; who lacks it is named. */
function groupReasons(members: Prepared[]): FieldReason[] {
  const pairs: [Prepared, Prepared, PairComparison][] = [];
  for (let x = 0; x < members.length; x++) {
    for (let y = x + 1; y < members.length; y++) {
      pairs.push([members[x]!, members[y]!, comparePair(members[x]!, members[y]!)]);
    }
  }
  const reasons: FieldReason[] = [];
  for (const field of MATCH_FIELDS) {
    const lacking: SourceDepartment[] = [];
    for (const m of members) if (!hasField(field, m)) lacking.push(m.record.source);
    // Choose the weakest pair by score first, then write text for that pair only.
    let weakestPair: [Prepared, Prepared, PairComparison] | undefined;
    let weakestScore = Infinity;
    for (const entry of pairs) {
      if (!hasField(field, entry[0]) || !hasField(field, entry[1])) continue;
      const score = fieldScore(field, entry[2]);
      if (score < weakestScore) {
        weakestPair = entry;
        weakestScore = score;
      }
    }
    let reason: FieldReason;
    if (weakestPair) {
      const [a, b, c] = weakestPair;
      reason = describePair(field, a, b, c);
    } else {
      reason = {
        field,
        outcome: 'missing',
        score: SIMPLE_SCORE.missing,
        detail: `${field} missing`,
        detailZh: `${FIELD_ZH[field]}缺失`,
      };
    }
    if (lacking.length > 0) {
      reason.detail += `; missing on ${lacking.join(', ')}`;
      reason.detailZh += `；${lacking.map((d) => DEPARTMENT_ZH[d]).join('、')}部门未提供`;
    }
    reasons.push(reason);
  }
  return reasons;
}

function fieldScore(field: MatchField, c: PairComparison): number {
  switch (field) {
    case 'idNumber':
      return SIMPLE_SCORE[c.id];
    case 'name':
      return NAME_SCORE[c.name];
    case 'birthDate':
      return DATE_SCORE[c.date];
    case 'sex':
      return SIMPLE_SCORE[c.sex];
    case 'regionCode':
      return REGION_SCORE[c.region];
  }
}

interface ConflictField {
  field: string;
  value: (p: Prepared) => string | undefined;
  /** What counts as the same value (names compare simplified, so 張偉 and 张伟 agree). */
  key?: (value: string) => string;
}

const CONFLICT_FIELDS: readonly ConflictField[] = [
  { field: 'name', value: (p) => nonEmpty(p.name.display), key: (v) => normaliseName(v).simplified },
  { field: 'sex', value: (p) => p.sex },
  { field: 'birthDate', value: (p) => p.date?.iso ?? nonEmpty(p.record.row.birthDate) },
  { field: 'regionCode', value: (p) => p.region },
  {
    field: 'guardian.name',
    value: (p) => nonEmpty(p.record.row.guardian?.name),
    key: (v) => normaliseName(v).simplified,
  },
  { field: 'guardian.relation', value: (p) => p.record.row.guardian?.relation },
  { field: 'supervision', value: (p) => p.record.row.supervision },
  { field: 'schooling.status', value: (p) => p.record.row.schooling?.status },
  { field: 'hukou.status', value: (p) => p.record.row.hukou?.status },
  { field: 'father.status', value: (p) => p.record.row.father?.status },
  { field: 'mother.status', value: (p) => p.record.row.mother?.status },
];

function groupConflicts(members: Prepared[]): FieldConflict[] {
  if (members.length < 2) return [];
  const conflicts: FieldConflict[] = [];
  for (const spec of CONFLICT_FIELDS) {
    const values: FieldConflict['values'] = [];
    const keys = new Set<string>();
    for (const m of members) {
      const value = spec.value(m);
      if (value === undefined || value === '') continue;
      values.push({ source: m.record.source, value });
      keys.add(spec.key ? spec.key(value) : value);
    }
    if (keys.size > 1) conflicts.push({ field: spec.field, values });
  }
  return conflicts;
}

/* ------------------------------------------------------------------------------------------------
 * Merging a group's facts
 * ---------------------------------------------------------------------------------------------- */

export type MergeField = Exclude<keyof SubmissionRow, 'rowNumber'>;
export type MergePriority = Partial<Record<MergeField, readonly SourceDepartment[]>>;

export interface MergedFacts extends Omit<SubmissionRow, 'rowNumber'> {
  /** Which department each kept fact came from. */
  sources: Partial<Record<MergeField, SourceDepartment>>;
}

const IDENTITY: readonly SourceDepartment[] = ['public_security', 'civil_affairs', 'education'];
const SCHOOLING: readonly SourceDepartment[] = ['education', 'civil_affairs', 'public_security'];
const CARE: readonly SourceDepartment[] = ['civil_affairs', 'education', 'public_security'];
const RESIDENCE: readonly SourceDepartment[] = ['civil_affairs', 'public_security', 'education'];

/**
 * Whom to believe first, per field: public security for identity and household registration,
 * education for schooling, civil affairs for care (guardian, supervision, assistance, parents,
 * health) and where the child lives (its village survey is door to door). Anyone with a value
 * comes next, in the listed order.
 */
export const DEFAULT_MERGE_PRIORITY: Readonly<Record<MergeField, readonly SourceDepartment[]>> = {
  name: IDENTITY,
  sex: IDENTITY,
  birthDate: IDENTITY,
  idNumber: IDENTITY,
  ethnicity: IDENTITY,
  hukou: IDENTITY,
  schooling: SCHOOLING,
  guardian: CARE,
  supervision: CARE,
  assistance: CARE,
  father: CARE,
  mother: CARE,
  health: CARE,
  regionCode: RESIDENCE,
  address: RESIDENCE,
};

const MERGE_FIELDS = Object.keys(DEFAULT_MERGE_PRIORITY) as MergeField[];

function isEmptyFact(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.values(value).every(isEmptyFact);
  return false;
}

const recordIndexes = new WeakMap<object, Map<string, MatchRecord>>();
const memberKey = (source: SourceDepartment, rowId: string): string => `${source}\u0000${rowId}`;

function indexOf(records: ReconciliationInput | readonly MatchRecord[]): Map<string, MatchRecord> {
  const cached = recordIndexes.get(records);
  if (cached) return cached;
  const list = Array.isArray(records)
    ? (records as readonly MatchRecord[])
    : DEPARTMENTS.flatMap((d) => (records as ReconciliationInput)[d]);
  const index = new Map<string, MatchRecord>();
  for (const r of list) index.set(memberKey(r.source, r.rowId), r);
  recordIndexes.set(records, index);
  return index;
}

/**
 * One set of facts for a group: each field whole from the first department in `priority` that has
 * a non-empty value (objects such as guardian are taken whole, never stitched from two lists).
 * `records` may be the reconcile input or any array holding the members; its index is cached, so
 * calling this for every group of a city stays linear.
 */
export function mergeFacts(
  group: Pick<MatchGroup, 'members'>,
  records: ReconciliationInput | readonly MatchRecord[],
  priority: MergePriority = {},
): MergedFacts {
  const index = indexOf(records);
  const byDept = new Map<SourceDepartment, SubmissionRow>();
  for (const m of group.members) {
    const record = index.get(memberKey(m.source, m.rowId));
    if (!record) throw new Error(`mergeFacts: no record for ${m.source}:${m.rowId}`);
    byDept.set(m.source, record.row);
  }
  const merged: MergedFacts = { name: '', sources: {} };
  const target = merged as unknown as Record<MergeField, unknown>;
  for (const field of MERGE_FIELDS) {
    const preferred = priority[field] ?? DEFAULT_MERGE_PRIORITY[field];
    const order = [...preferred, ...DEPARTMENTS.filter((d) => !preferred.includes(d))];
    for (const dept of order) {
      const value = byDept.get(dept)?.[field];
      if (isEmptyFact(value)) continue;
      target[field] = structuredClone(value);
      merged.sources[field] = dept;
      break;
    }
  }
  return merged;
}
