/**
 * Resident ID numbers and phone numbers at rest (ARCHITECTURE §5): AES-256-GCM with a random
 * 96-bit nonce per value, and an HMAC-SHA256 blind index for exact lookup and de-duplication. The
 * two keys are different, so the index reveals nothing that decrypts.
 *
 * Stored form: `v1.<nonce b64url>.<ciphertext+tag b64url>`. The version names the key, so keys can
 * be rotated by adding `v2` and re-sealing.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface SealingKeys {
  /** 32 bytes (AES-256). */
  encryptionKey: Buffer;
  /** At least 32 bytes. */
  indexKey: Buffer;
}

export class SealError extends Error {}

/** Reads a key given as base64 (or hex with a `hex:` prefix) and checks its length. */
export function parseKey(name: string, text: string, minBytes = 32): Buffer {
  const key = text.startsWith('hex:') ? Buffer.from(text.slice(4), 'hex') : Buffer.from(text, 'base64');
  if (key.length < minBytes) throw new SealError(`${name} must hold at least ${minBytes} bytes (base64)`);
  return key;
}

export function createSealer(keys: SealingKeys) {
  if (keys.encryptionKey.length !== 32) throw new SealError('the encryption key must be 32 bytes');
  if (keys.indexKey.equals(keys.encryptionKey))
    throw new SealError('the index key must differ from the encryption key');
  return {
    seal(plain: string): string {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.encryptionKey, nonce);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(sealed: string): string {
      const [version, nonceText, bodyText] = sealed.split('.');
      if (version !== 'v1' || !nonceText || !bodyText) throw new SealError('not a sealed value of version v1');
      const body = Buffer.from(bodyText, 'base64url');
      const decipher = createDecipheriv('aes-256-gcm', keys.encryptionKey, Buffer.from(nonceText, 'base64url'));
      decipher.setAuthTag(body.subarray(body.length - 16));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
    },
    /** Deterministic: the same normalised ID number always gives the same index. */
    index(plain: string): string {
      return createHmac('sha256', keys.indexKey).update(plain.trim().toUpperCase(), 'utf8').digest('base64url');
    },
  };
}
export type Sealer = ReturnType<typeof createSealer>;
