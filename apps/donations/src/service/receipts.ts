/**
 * Receipt numbers (捐赠收据编号), issued by the platform in a configurable format such as
 * `TX-{YYYY}-{seq:6}` → `TX-2026-000042`. Each number is an insert-only claim (`receipt:<scope>:<n>`)
 * in the claims collection: a unique-key insert is atomic on FerretDB too, so two requests can never
 * get the same number, and claims are never deleted, so a number is never reused (a create that fails
 * after claiming leaves a gap, never a duplicate). The sequence restarts per scope: the format with
 * its `{YYYY}` filled in, i.e. per year when the format has a year. A counter document remembers the
 * last number as a hint so a claim usually succeeds at the first try; it is never trusted.
 */
import type { DonationModels } from '../persistence/models.js';

export const DEFAULT_RECEIPT_FORMAT = 'TX-{YYYY}-{seq:6}';
const SEQ = /\{seq(?::(\d{1,2}))?\}/;

export function checkReceiptFormat(format: string): string | undefined {
  if (!SEQ.test(format)) return 'the format needs a {seq} or {seq:N} placeholder';
  if (format.replace(SEQ, '').includes('{seq')) return 'only one {seq} placeholder';
  if (!/^[A-Za-z0-9{}:\-_/]+$/.test(format)) return 'letters, digits, - _ / and placeholders only';
  return undefined;
}

/** The year in Beijing (UTC+8). */
const beijingYear = (at: Date) => String(new Date(at.getTime() + 8 * 3_600_000).getUTCFullYear());

export function renderReceipt(format: string, at: Date, seq: number): string {
  return format
    .replaceAll('{YYYY}', beijingYear(at))
    .replace(SEQ, (_, width: string | undefined) => String(seq).padStart(Number(width ?? 1), '0'));
}

export function createReceipts(deps: { models: DonationModels; now: () => Date; format: string }) {
  const { models, now, format } = deps;
  const problem = checkReceiptFormat(format);
  if (problem) throw new Error(`DONATIONS_RECEIPT_FORMAT: ${problem}`);

  async function issue(donationId: string): Promise<string> {
    const at = now();
    const scope = format.replaceAll('{YYYY}', beijingYear(at)).replace(SEQ, '#');
    const counterId = `receipt:${scope}`;
    const hint = (await models.Counters.findById(counterId).lean())?.last ?? 0;
    for (let seq = hint + 1; ; seq++) {
      try {
        await models.Claims.collection.insertOne({ _id: `receipt:${scope}:${seq}` as never, ref: donationId, at });
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        continue;
      }
      // Only a hint: a lost or failed update costs a later claim a few retries, nothing more.
      await models.Counters.collection
        .updateOne({ _id: counterId as never }, { $max: { last: seq } }, { upsert: true })
        .catch(() => {});
      return renderReceipt(format, at, seq);
    }
  }

  return { issue };
}
export type Receipts = ReturnType<typeof createReceipts>;
