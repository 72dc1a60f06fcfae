/**
 * `npm run images`: builds every image of the platform with whichever engine exists (podman or docker).
 *
 *   gateway registry facilities donations volunteers reporting  -> localhost/tongxin-<app>:<its package.json version>
 *   kafka, ferretdb                                             -> localhost/tongxin-kafka:3.9.1, localhost/tongxin-ferretdb:1.24.2
 *
 * Services: `turbo prune @tongxin/<app> --docker` into .data/images/<app>, then infra/images/Dockerfile
 * with that folder as the context. Nothing is downloaded: the build runs with --network=none and npm
 * installs --offline from this machine's npm cache (extra build context "npmcache").
 *
 * Bases: the local ones (infra/images/build-base.sh) when localhost/tongxin-base-node:20 exists, else the
 * public node:20-slim / apache/kafka:3.9.1 / ghcr.io/ferretdb/ferretdb:1.24.2. Force with --bases local|public.
 *
 *   npm run images [-- --only gateway,kafka] [--bases local|public] [--engine podman|docker]
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
export const SERVICES = ['gateway', 'registry', 'facilities', 'donations', 'volunteers', 'reporting'] as const;
export const KAFKA_VERSION = '3.9.1';
export const FERRETDB_VERSION = '1.24.2';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

function run(command: string, commandArgs: string[], cwd = repoRoot): string {
  const result = spawnSync(command, commandArgs, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`could not run ${command}: ${result.error.message}`);
  if (result.status !== 0) {
    const output = `${result.stdout}\n${result.stderr}`.trim().split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${commandArgs.join(' ')} exited with ${result.status}:\n${output}`);
  }
  return result.stdout;
}
const has = (command: string) => !spawnSync(command, ['--version'], { encoding: 'utf8' }).error;

const engine =
  option('engine') ?? process.env.CONTAINER_ENGINE ?? (has('podman') ? 'podman' : has('docker') ? 'docker' : '');
if (!engine) {
  console.error('Neither podman nor docker is installed: nothing to build images with.');
  process.exit(1);
}
const imageExists = (ref: string) =>
  spawnSync(engine, ['image', 'inspect', ref], { encoding: 'utf8', stdio: 'ignore' }).status === 0;
const bases = option('bases') ?? (imageExists('localhost/tongxin-base-node:20') ? 'local' : 'public');
const base =
  bases === 'local'
    ? {
        node: 'localhost/tongxin-base-node:20',
        kafka: `localhost/tongxin-base-kafka:${KAFKA_VERSION}`,
        ferretdb: `localhost/tongxin-base-ferretdb:${FERRETDB_VERSION}`,
      }
    : {
        node: 'node:20-slim',
        kafka: `apache/kafka:${KAFKA_VERSION}`,
        ferretdb: `ghcr.io/ferretdb/ferretdb:${FERRETDB_VERSION}`,
      };
const only = option('only')?.split(',');
const npmCache = run('npm', ['config', 'get', 'cache']).trim();

/** The engine's common flags: no network, and Docker-format images under podman (OCI drops HEALTHCHECK). */
const buildFlags = ['build', '--network=none', ...(engine === 'podman' ? ['--format', 'docker'] : [])];

interface Built {
  image: string;
  seconds: number;
  size: string;
}
const built: Built[] = [];
const started = Date.now();

function build(
  image: string,
  buildArgs: Record<string, string>,
  dockerfile: string,
  context: string,
  extra: string[] = [],
) {
  const t = Date.now();
  console.log(`→ ${image}`);
  run(engine, [
    ...buildFlags,
    ...extra,
    ...Object.entries(buildArgs).flatMap(([k, v]) => ['--build-arg', `${k}=${v}`]),
    '-f',
    dockerfile,
    '-t',
    image,
    context,
  ]);
  const bytes = Number(run(engine, ['image', 'inspect', '--format', '{{.Size}}', image]).trim());
  const entry = { image, seconds: (Date.now() - t) / 1000, size: `${(bytes / 1e6).toFixed(0)} MB` };
  built.push(entry);
  console.log(`  built in ${entry.seconds.toFixed(1)} s, ${entry.size}`);
}

console.log(`Building with ${engine}, ${bases} bases (${base.node}), npm cache ${npmCache}, no network.`);
for (const app of SERVICES) {
  if (only && !only.includes(app)) continue;
  const version = (JSON.parse(readFileSync(join(repoRoot, 'apps', app, 'package.json'), 'utf8')) as { version: string })
    .version;
  const context = join(repoRoot, '.data', 'images', app);
  rmSync(context, { recursive: true, force: true });
  mkdirSync(dirname(context), { recursive: true });
  run('npx', ['turbo', 'prune', `@tongxin/${app}`, '--docker', '--out-dir', context], repoRoot);
  copyFileSync(join(here, 'docker', 'production-manifests.mjs'), join(context, 'production-manifests.mjs'));
  build(
    `localhost/tongxin-${app}:${version}`,
    { NODE_BASE: base.node, APP: app, VERSION: version },
    join(here, 'Dockerfile'),
    context,
    ['--build-context', `npmcache=${npmCache}`],
  );
  // The name the Kubernetes manifests and the Compose file use (podman stores it as localhost/tongxin/<app>).
  run(engine, ['tag', `localhost/tongxin-${app}:${version}`, `tongxin/${app}:${version}`]);
}
if (!only || only.includes('kafka')) {
  build(
    `localhost/tongxin-kafka:${KAFKA_VERSION}`,
    { KAFKA_BASE: base.kafka },
    join(here, 'kafka', 'Dockerfile'),
    join(here, 'kafka'),
  );
}
if (!only || only.includes('ferretdb')) {
  build(
    `localhost/tongxin-ferretdb:${FERRETDB_VERSION}`,
    { FERRETDB_BASE: base.ferretdb },
    join(here, 'ferretdb', 'Dockerfile'),
    join(here, 'ferretdb'),
  );
}
console.log(`\n${built.length} images in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
for (const b of built)
  console.log(`  ${b.image.padEnd(42)} ${b.size.padStart(8)}  ${b.seconds.toFixed(1).padStart(6)} s`);
