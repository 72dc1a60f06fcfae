import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Versions of the two servers. Changing one here changes what `stack up` fetches and builds. */
export const KAFKA_VERSION = '3.9.1';
export const FERRETDB_VERSION = 'v1.24.2';

const here = dirname(fileURLToPath(import.meta.url));

/** The checkout's root (infra/local/src -> ../../..). */
export const repoRoot = resolve(here, '..', '..', '..');

/** Where infra/local keeps its committed files (the pom). */
export const localInfraDir = resolve(here, '..');

/**
 * Downloads and builds live outside the work tree so a fresh clone on the same machine starts in
 * seconds: `$TONGXIN_CACHE_DIR`, else `$XDG_CACHE_HOME/tongxin`, else `~/.cache/tongxin`.
 */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TONGXIN_CACHE_DIR;
  if (explicit) return resolve(explicit);
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'tongxin');
}

/** Data and logs of the default stack: git-ignored `.data/stack` in the checkout. */
export function stackDir(env: NodeJS.ProcessEnv = process.env): string {
  const explicit = env.TONGXIN_STACK_DIR;
  return explicit ? resolve(explicit) : join(repoRoot, '.data', 'stack');
}

export const kafkaLibsDir = (env: NodeJS.ProcessEnv = process.env): string =>
  join(cacheDir(env), `kafka-${KAFKA_VERSION}`, 'libs');
export const ferretdbBinary = (env: NodeJS.ProcessEnv = process.env): string =>
  join(cacheDir(env), `ferretdb-${FERRETDB_VERSION}`, 'ferretdb');
