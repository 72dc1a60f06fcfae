/**
 * `npm run stack -- up|down|status|logs` and `npm start`.
 * Errors meant for a person (StackError) are printed without a stack trace, with the log tail.
 */
import { StackError } from './errors.js';
import { cacheDir } from './paths.js';
import { ensureFerretdb, ensureKafkaJars, requireTool } from './prerequisites.js';
import { startPlatform } from './platform.js';
import { down, logs, stackConfig, status, testStackEnv, up } from './stack.js';

const say = (line: string) => console.log(line);

const USAGE = `Usage: npm run stack -- <command>
  up       start Kafka and FerretDB as local processes (idempotent), wait until both answer
  platform the stack, then every service with development secrets, until Ctrl-C (npm start)
  down     stop them
  status   versions, addresses, PIDs and whether each answers
  logs     the last lines of each server's log (logs --lines 100)
  prepare  fetch the Kafka jars and build FerretDB into the cache without starting anything
  --test   (with up, down, status, logs) the stack npm test starts, not npm start's: .data/test-stack,
           Kafka 19192/19193, FerretDB 27127 (TONGXIN_TEST_STACK_DIR, TONGXIN_TEST_KAFKA_PORT,
           TONGXIN_TEST_KAFKA_CONTROLLER_PORT, TONGXIN_TEST_MONGO_PORT)
Environment: KAFKA_BROKERS and MONGODB_URI (use existing servers; nothing is started),
  TONGXIN_KAFKA_PORT (19092), TONGXIN_KAFKA_CONTROLLER_PORT (19093), TONGXIN_MONGO_PORT (27027),
  TONGXIN_KAFKA_HEAP (384m), TONGXIN_STACK_DIR (.data/stack), TONGXIN_CACHE_DIR (~/.cache/tongxin).`;

async function main(argv: string[]): Promise<number> {
  const test = argv.includes('--test');
  const [command = 'status', ...rest] = argv.filter((arg) => arg !== '--test');
  const env = test ? testStackEnv() : process.env;
  switch (command) {
    case 'platform':
      if (test) {
        // npm start runs on its own stack; starting the platform on the tests' one would mix the two.
        console.error('--test names the stack npm test uses; the platform (npm start) runs only on its own.');
        return 2;
      }
      return startPlatform(say);
    case 'up':
    case 'start': {
      const t0 = Date.now();
      const endpoints = await up({ say, env });
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      say('');
      say(`Tongxin stack ready in ${seconds} s.`);
      say(`  Kafka:        ${endpoints.kafkaBrokers}`);
      say(`  MongoDB API:  ${endpoints.mongodbUri}`);
      say(
        `  To reuse it from another shell: export KAFKA_BROKERS=${endpoints.kafkaBrokers} MONGODB_URI=${endpoints.mongodbUri}`,
      );
      if (endpoints.external.length < 2) {
        say(`  Data and logs: ${stackConfig(env).dir}   Downloads and builds: ${cacheDir(env)}`);
        say(`  Stop it with: npm run stack -- down${test ? ' --test' : ''}`);
      }
      return 0;
    }
    case 'down':
    case 'stop':
      await down({ say, env });
      return 0;
    case 'status': {
      const servers = await status(env);
      for (const s of servers) {
        const parts = [s.name.padEnd(9), s.state.padEnd(14)];
        if (s.address) parts.push(s.address.padEnd(26));
        if (s.pid) parts.push(`pid ${s.pid}`.padEnd(11));
        if (s.version) parts.push(s.version);
        say(parts.join(' '));
      }
      return servers.every((s) => s.state === 'up' || s.state === 'external') ? 0 : 3;
    }
    case 'logs': {
      const index = rest.indexOf('--lines');
      const lines = index >= 0 ? Number(rest[index + 1]) || 40 : 40;
      for (const log of logs(lines, env)) {
        say(`==> ${log.file} <==`);
        say(log.text);
        say('');
      }
      return 0;
    }
    case 'prepare': {
      const t0 = Date.now();
      say(`java: ${requireTool('java')}`);
      await ensureKafkaJars(say);
      await ensureFerretdb(say);
      say(`Kafka jars and FerretDB are in ${cacheDir()} (${((Date.now() - t0) / 1000).toFixed(1)} s).`);
      return 0;
    }
    case 'help':
    case '--help':
    case '-h':
      say(USAGE);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof StackError) {
      console.error(`\n✖ ${error.message}`);
      if (error.detail) console.error(`\n--- last lines of the log ---\n${error.detail}\n---`);
    } else {
      console.error(error);
    }
    process.exit(1);
  },
);
