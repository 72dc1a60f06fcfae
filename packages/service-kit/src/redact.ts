/**
 * Pattern and key based redaction for anything that leaves the process as text (logs, audit
 * entries). Resident ID numbers and mobile numbers must never be written out (ARCHITECTURE §5),
 * wherever they hide: a message, a URL's query, a nested field, an error message.
 */

/** 18-character resident ID number (GB 11643): 17 digits + a digit or X, not part of a longer number. */
const RESIDENT_ID = /(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])/g;
/** Mainland mobile numbers: optional +86, 1[3-9] and 9 more digits, optionally grouped 3-4-4. */
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g;
/** Bearer credentials and bare JWTs (three base64url segments starting with `eyJ`). */
const BEARER = /\bBearer\s+[A-Za-z0-9._~+/=-]+/gi;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/** Field names whose values are secrets or identifiers, whatever they hold. */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|password|passwd|pwd|secret|client_?secret|token|access_?token|refresh_?token|id_?token|api_?key|x-api-key|id_?number|resident_?id|id_?card|phone|mobile|phone_?number)$/i;

export const REDACTED = '[REDACTED]';

/** True for field names whose values are always secret or identifying (password, token, phone…). */
export const isSecretKey = (key: string): boolean => SECRET_KEY.test(key);

export function redactString(value: string): string {
  return value
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(RESIDENT_ID, '[ID-REDACTED]')
    .replace(MOBILE, '[PHONE-REDACTED]');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * A redacted copy of `value`: strings scrubbed, secret-named keys replaced, plain objects and
 * arrays walked (depth-bounded, cycle-safe). Numbers are checked too: an ID or phone number stored
 * as a JSON number is still personal data. Class instances (Dates, Buffers, …) pass unchanged.
 */
export function redactDeep(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactString(value);
  if (typeof value === 'number' || typeof value === 'bigint') {
    const text = String(value);
    const scrubbed = redactString(text);
    return scrubbed === text ? value : scrubbed;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8) return '[TRUNCATED]';
  if (seen.has(value)) return '[CIRCULAR]';
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((item) => redactDeep(item, depth + 1, seen));
  }
  if (value instanceof Error) {
    seen.add(value);
    return { type: value.name, message: redactString(value.message), stack: value.stack && redactString(value.stack) };
  }
  if (!isPlainObject(value)) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      SECRET_KEY.test(key) && item !== undefined && item !== null ? REDACTED : redactDeep(item, depth + 1, seen);
  }
  return out;
}
