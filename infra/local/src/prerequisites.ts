import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

import { StackError } from './errors.js';
import { cacheDir, FERRETDB_VERSION, ferretdbBinary, KAFKA_VERSION, kafkaLibsDir, localInfraDir } from './paths.js';

type Say = (line: string) => void;

interface Tool {
  command: string;
  versionArgs: string[];
  why: string;
  install: string;
}

const TOOLS = {
  java: {
    command: 'java',
    versionArgs: ['-version'],
    why: 'Java 17+ runs the local Kafka broker',
    install: 'apt-get install openjdk-17-jre-headless (Debian/Ubuntu)',
  },
  mvn: {
    command: 'mvn',
    versionArgs: ['--version'],
    why: 'Maven fetches the Kafka broker jars from Maven Central (first run only)',
    install: 'apt-get install maven',
  },
  go: {
    command: 'go',
    versionArgs: ['version'],
    why: 'Go builds FerretDB, the MongoDB-protocol server (first run only)',
    install: 'install Go 1.24+ (https://go.dev/doc/install) or apt-get install golang-go if new enough',
  },
} satisfies Record<string, Tool>;

const ALTERNATIVE =
  'Or point Tongxin at servers you already have: export KAFKA_BROKERS=host:9092 MONGODB_URI=mongodb://host:27017 ' +
  '(see infra/docker/compose.yaml for Docker).';

/** Fails with a clear message when a tool the local stack needs is not on PATH. */
export function requireTool(name: keyof typeof TOOLS, env: NodeJS.ProcessEnv = process.env): string {
  const tool = TOOLS[name];
  const result = spawnSync(tool.command, tool.versionArgs, { encoding: 'utf8', env });
  if (result.error) {
    throw new StackError(
      `${tool.command} was not found on PATH. ${tool.why}.\n  Install it: ${tool.install}.\n  ${ALTERNATIVE}`,
    );
  }
  const text = `${result.stdout}\n${result.stderr}`;
  if (name === 'java') {
    const major = /version "(\d+)/.exec(text)?.[1];
    if (major && Number(major) < 17) {
      throw new StackError(`Java ${major} found, but the Kafka broker needs Java 17 or newer.\n  ${ALTERNATIVE}`);
    }
  }
  return text.trim().split('\n')[0] ?? '';
}

/** Runs a command, streaming nothing, and reports elapsed time every 15 s so a long step is not silent. */
function runLong(
  command: string,
  args: string[],
  options: { cwd?: string; say: Say; what: string; env?: NodeJS.ProcessEnv },
) {
  return new Promise<void>((resolvePromise, reject) => {
    const started = Date.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
    const ticker = setInterval(
      () => options.say(`  … still ${options.what} (${Math.round((Date.now() - started) / 1000)} s)`),
      15_000,
    );
    child.on('error', (error) => {
      clearInterval(ticker);
      reject(new StackError(`could not run ${command}: ${error.message}`));
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0) resolvePromise();
      else
        reject(
          new StackError(
            `${options.what} failed (${command} exited with ${code})`,
            output.split('\n').slice(-40).join('\n'),
          ),
        );
    });
  });
}

/**
 * The Kafka broker jars, fetched once with Maven into the cache. A marker file is written only
 * after a complete fetch, so an interrupted one is redone rather than half-used.
 */
export async function ensureKafkaJars(say: Say, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const libs = kafkaLibsDir(env);
  const marker = join(libs, '..', '.complete');
  if (existsSync(marker)) return libs;
  requireTool('mvn', env);
  say(
    `Fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${libs} (first time only; usually 15–60 s)…`,
  );
  const partial = `${libs}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await runLong(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      join(localInfraDir, 'pom.xml'),
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${partial}`,
    ],
    { say, what: 'fetching the Kafka jars', env },
  );
  const jars = readdirSync(partial).filter((f) => f.endsWith('.jar'));
  if (
    !jars.some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`)) ||
    !jars.some((f) => f.startsWith('slf4j-simple'))
  ) {
    throw new StackError(`Maven finished but ${partial} lacks the Kafka or slf4j jars (${jars.length} jars found)`);
  }
  rmSync(libs, { recursive: true, force: true });
  renameSync(partial, libs);
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  say(`  Kafka ${KAFKA_VERSION}: ${jars.length} jars ready.`);
  return libs;
}

/**
 * FerretDB built once with Go into the cache.
 *
 * Why not plain `go install …/cmd/ferretdb@v1.24.2`: that build panics at start-up with
 * "Invalid build/version/version.txt file content" — the module as published carries an empty
 * version file, which upstream's release tooling generates. Its message says to write the file by
 * hand, so we build the same module from the Go module proxy with that one data file filled in.
 */
export async function ensureFerretdb(say: Say, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const binary = ferretdbBinary(env);
  if (existsSync(binary)) return binary;
  requireTool('go', env);
  say(`Building FerretDB ${FERRETDB_VERSION} with Go into ${binary} (first time only; about 2–4 minutes on 2 cores)…`);
  const goEnv = { ...env, GOFLAGS: '-buildvcs=false', CGO_ENABLED: '0' };
  const download = spawnSync('go', ['mod', 'download', '-json', `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`], {
    encoding: 'utf8',
    env: goEnv,
  });
  if (download.status !== 0) {
    throw new StackError(
      `go mod download of FerretDB ${FERRETDB_VERSION} failed`,
      `${download.stdout}\n${download.stderr}`,
    );
  }
  const moduleDir = (JSON.parse(download.stdout) as { Dir?: string }).Dir;
  if (!moduleDir) throw new StackError('go mod download did not report where FerretDB was put', download.stdout);
  const source = join(cacheDir(env), 'build', `ferretdb-${FERRETDB_VERSION}-src`);
  rmSync(source, { recursive: true, force: true });
  mkdirSync(join(source, '..'), { recursive: true });
  cpSync(moduleDir, source, { recursive: true });
  makeWritable(source);
  writeFileSync(join(source, 'build', 'version', 'version.txt'), `${FERRETDB_VERSION}\n`);
  const partial = `${binary}.partial`;
  mkdirSync(join(binary, '..'), { recursive: true });
  await runLong('go', ['build', '-trimpath', '-o', partial, './cmd/ferretdb'], {
    cwd: source,
    env: goEnv,
    say,
    what: 'building FerretDB',
  });
  renameSync(partial, binary);
  rmSync(source, { recursive: true, force: true });
  say(`  FerretDB ${FERRETDB_VERSION} built.`);
  return binary;
}

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) makeWritable(path);
    else chmodSync(path, 0o644);
  }
}
