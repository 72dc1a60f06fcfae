import { randomBytes } from 'node:crypto';

/**
 * A name no other test (or earlier run) uses: `<prefix>-<time>-<random>`. Kafka topic and group
 * names allow [a-zA-Z0-9._-]; database names must avoid '.', '/', '$' and stay short, so the
 * database form uses '_' and keeps under 63 characters.
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export const uniqueTopic = (prefix = 'test'): string => uniqueName(`t.${prefix}`);
export const uniqueGroup = (prefix = 'test'): string => uniqueName(`g.${prefix}`);

export function uniqueDatabase(prefix = 'test'): string {
  const name = uniqueName(`tx_${prefix}`).replace(/[^a-zA-Z0-9_]/g, '_');
  return name.slice(0, 63);
}
