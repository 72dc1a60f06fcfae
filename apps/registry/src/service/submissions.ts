/**
 * Department submissions: one department's list for one township, uploaded as .xlsx or .csv. The
 * upload is a job: read → validate every row → store. Stored rows only become visible (status
 * `stored`) once all of them are written; a file with any problem stores nothing and reports every
 * problem per row. ID numbers and phones are sealed in the stored rows.
 */
import { newEventId } from '@tongxin/contracts';
import { Schema, type Connection, type Model } from 'mongoose';

import type { RowIssue, SourceDepartment, SubmissionRow } from '../domain/child.js';
import type { Sealer } from '@tongxin/service-kit';
import { isSheet, readSheet, validateRows } from '../import/index.js';

export type SubmissionStatus = 'processing' | 'rejected' | 'stored' | 'failed';

export interface SubmissionDoc {
  _id: string;
  township: string;
  department: SourceDepartment;
  filename: string;
  bytes: number;
  uploadedBy: string;
  uploadedAt: Date;
  status: SubmissionStatus;
  progress: { rowsRead: number; rowsValidated: number; rowsStored: number };
  /** The first issues (all of them up to 2,000); `issueCount` has the total. */
  issues: RowIssue[];
  issueCount: number;
  /** Set when a newer stored list of the same township and department replaces this one. */
  supersededBy?: string;
  finishedAt?: Date;
  error?: string;
  /** Stored rows are kept in this many chunk documents `<id>:<n>`. */
  chunks?: number;
}

/** A stored row: the validated row with sensitive values sealed in place, plus the ID blind index. */
export interface StoredRow {
  rowNumber: number;
  idIndex?: string;
  row: SubmissionRow;
}

/**
 * A list's rows are stored 500 to a document in a collection of their own (`list_rows_<id>`), read
 * back with one unfiltered scan. On FerretDB's SQLite backend every lookup scans (and parses) the
 * whole collection, `_id` included: with every list in one collection, reading a township's three
 * lists meant parsing the whole city's rows (measured by `npm run bench:registry`: 0.44 s per list
 * at 33,309 rows per department). A collection per list also makes discarding a failed upload one drop.
 */
export interface RowChunkDoc {
  _id: number;
  rows: StoredRow[];
}

const MAX_STORED_ISSUES = 2000;
const CHUNK = 500;

export const listRowsCollection = (submissionId: string): string => `list_rows_${submissionId}`;

export function submissionModels(connection: Connection) {
  const Submissions = connection.model<SubmissionDoc>(
    'Submission',
    new Schema<SubmissionDoc>(
      {
        _id: String,
        township: { type: String, index: true },
        department: String,
        filename: String,
        bytes: Number,
        uploadedBy: String,
        uploadedAt: Date,
        status: String,
        progress: Schema.Types.Mixed,
        issues: { type: [Schema.Types.Mixed], default: [] } as never,
        issueCount: Number,
        supersededBy: String,
        finishedAt: Date,
        error: String,
        chunks: Number,
      },
      { collection: 'submissions', versionKey: false, minimize: false },
    ),
  ) as Model<SubmissionDoc>;
  /** The collection holding one list's rows. */
  const SubmissionRows = (submissionId: string) => connection.collection<RowChunkDoc>(listRowsCollection(submissionId));
  /** How many lists have stored rows (for checks that nothing was left behind). */
  const listCollections = async () =>
    (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).filter((c) =>
      c.name.startsWith('list_rows_'),
    ).length;
  return { Submissions, SubmissionRows, listCollections };
}
export type SubmissionModels = ReturnType<typeof submissionModels>;

const SEALED_PATHS = [
  ['idNumber'],
  ['father', 'idNumber'],
  ['father', 'phone'],
  ['mother', 'idNumber'],
  ['mother', 'phone'],
  ['guardian', 'phone'],
] as const;

type Loose = Record<string, Record<string, unknown> | unknown>;

function mapPaths(row: SubmissionRow, map: (value: string) => string): SubmissionRow {
  const copy = structuredClone(row) as unknown as Loose;
  for (const path of SEALED_PATHS) {
    const holder = (path.length === 1 ? copy : copy[path[0]]) as Record<string, unknown> | undefined;
    const key = path[path.length - 1]!;
    if (holder && typeof holder[key] === 'string') holder[key] = map(holder[key]);
  }
  return copy as unknown as SubmissionRow;
}

export const sealRow = (sealer: Sealer, row: SubmissionRow): SubmissionRow => mapPaths(row, (v) => sealer.seal(v));
export const openRow = (sealer: Sealer, row: SubmissionRow): SubmissionRow => mapPaths(row, (v) => sealer.open(v));

export interface SubmissionsDeps {
  models: SubmissionModels;
  sealer: Sealer;
  now: () => Date;
  maxRows?: number;
  onError?: (error: Error, submissionId: string) => void;
}

export function createSubmissions(deps: SubmissionsDeps) {
  const { models, sealer, now } = deps;
  const { Submissions, SubmissionRows } = models;
  const running = new Set<Promise<void>>();

  const setProgress = (id: string, progress: SubmissionDoc['progress']) =>
    Submissions.updateOne({ _id: id }, { $set: { progress } });

  async function finish(id: string, status: SubmissionStatus, extra: Partial<SubmissionDoc> = {}) {
    await Submissions.updateOne({ _id: id }, { $set: { status, finishedAt: now(), ...extra } });
  }

  async function process(doc: SubmissionDoc, file: Buffer): Promise<void> {
    const progress = { rowsRead: 0, rowsValidated: 0, rowsStored: 0 };
    const sheet = await readSheet(file, { maxRows: deps.maxRows ?? 100_000 });
    if (!isSheet(sheet)) {
      await finish(doc._id, 'rejected', {
        issues: sheet.fileIssues.slice(0, MAX_STORED_ISSUES),
        issueCount: sheet.fileIssues.length,
      });
      return;
    }
    progress.rowsRead = sheet.rows.length;
    await setProgress(doc._id, progress);
    const result = validateRows(sheet, { township: doc.township, department: doc.department, today: now() });
    progress.rowsValidated = result.rowsRead;
    if (result.issues.length > 0) {
      await finish(doc._id, 'rejected', {
        progress,
        issues: result.issues.slice(0, MAX_STORED_ISSUES),
        issueCount: result.issues.length,
      });
      return;
    }
    await setProgress(doc._id, progress);
    const rowsCollection = SubmissionRows(doc._id);
    let chunks = 0;
    try {
      for (let start = 0; start < result.rows.length; start += CHUNK) {
        const rows = result.rows.slice(start, start + CHUNK).map((row): StoredRow => ({
          rowNumber: row.rowNumber,
          ...(row.idNumber ? { idIndex: sealer.index(row.idNumber) } : {}),
          row: sealRow(sealer, row),
        }));
        await rowsCollection.insertOne({ _id: chunks, rows });
        chunks += 1;
        progress.rowsStored += rows.length;
        // Progress every 5,000 rows: each write of the job document costs as much as a chunk.
        if (chunks % 10 === 0) await setProgress(doc._id, progress);
      }
    } catch (error) {
      // Nothing half-stored: the list's rows go with their collection and the list is marked failed.
      await rowsCollection.drop().catch(() => {});
      await finish(doc._id, 'failed', { progress, error: (error as Error).message.slice(0, 300) });
      throw error;
    }
    // The newest upload of a township and department is the one that counts, whatever order the
    // jobs finish in: this list replaces older stored ones, and is itself replaced by a newer one.
    const same = { township: doc.township, department: doc.department, status: 'stored' as const };
    await Submissions.updateMany(
      { ...same, _id: { $ne: doc._id }, uploadedAt: { $lte: doc.uploadedAt } },
      { $set: { supersededBy: doc._id } },
    );
    const newer = await Submissions.findOne(
      { ...same, _id: { $ne: doc._id }, uploadedAt: { $gt: doc.uploadedAt } },
      { _id: 1 },
    )
      .sort({ uploadedAt: -1 })
      .lean();
    await finish(doc._id, 'stored', {
      progress,
      issueCount: 0,
      chunks,
      ...(newer ? { supersededBy: newer._id } : {}),
    });
  }

  /** Starts the job and returns at once; poll the submission for progress and the report. */
  async function start(input: {
    township: string;
    department: SourceDepartment;
    filename: string;
    file: Buffer;
    uploadedBy: string;
  }): Promise<SubmissionDoc> {
    const doc: SubmissionDoc = {
      _id: newEventId(),
      township: input.township,
      department: input.department,
      filename: input.filename,
      bytes: input.file.length,
      uploadedBy: input.uploadedBy,
      uploadedAt: now(),
      status: 'processing',
      progress: { rowsRead: 0, rowsValidated: 0, rowsStored: 0 },
      issues: [],
      issueCount: 0,
    };
    await Submissions.create(doc);
    const job = process(doc, input.file)
      .catch(async (error: Error) => {
        deps.onError?.(error, doc._id);
        const current = await Submissions.findById(doc._id, { status: 1 })
          .lean()
          .catch(() => null);
        if (current?.status === 'processing') {
          await SubmissionRows(doc._id)
            .drop()
            .catch(() => {});
          await finish(doc._id, 'failed', { error: error.message.slice(0, 300) }).catch(() => {});
        }
      })
      .finally(() => running.delete(job));
    running.add(job);
    return doc;
  }

  /** The latest stored list of each department for a township. */
  async function latestStored(township: string): Promise<Partial<Record<SourceDepartment, SubmissionDoc>>> {
    const stored = await Submissions.find({ township, status: 'stored', supersededBy: { $exists: false } })
      .sort({ uploadedAt: -1 })
      .lean<SubmissionDoc[]>();
    const latest: Partial<Record<SourceDepartment, SubmissionDoc>> = {};
    for (const doc of stored) latest[doc.department] ??= doc;
    return latest;
  }

  /** The stored rows of a list, in row order. */
  async function rowsOf(submission: Pick<SubmissionDoc, '_id' | 'chunks'>): Promise<StoredRow[]> {
    const chunks = await SubmissionRows(submission._id).find({}).toArray();
    if (chunks.length !== (submission.chunks ?? 0)) {
      throw new Error(`list ${submission._id}: ${chunks.length} of ${submission.chunks ?? 0} row chunks found`);
    }
    return chunks.sort((a, b) => a._id - b._id).flatMap((chunk) => chunk.rows);
  }

  /** Jobs still running (waited for at shutdown). */
  const idle = () => Promise.allSettled([...running]);

  return { start, latestStored, rowsOf, idle };
}
export type Submissions = ReturnType<typeof createSubmissions>;
