/** Where the contract artefacts live, and how they are written (formatted like the repository). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { format, resolveConfig } from 'prettier';

export const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMAS_DIR = resolve(PACKAGE_DIR, 'schemas');
export const FIXTURES_DIR = resolve(PACKAGE_DIR, 'fixtures');
export const GENERATED_DIR = resolve(PACKAGE_DIR, 'generated');

export async function writeJson(path: string, value: unknown): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(value), { ...options, parser: 'json', filepath: path }));
}

/** `--name value` options of a script. */
export function option(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  if (index < 0) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value`);
  return resolve(value);
}
