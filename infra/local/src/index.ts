export { StackError } from './errors.js';
export { FERRETDB_VERSION, KAFKA_VERSION, cacheDir, repoRoot, stackDir } from './paths.js';
export { freePort, isAlive, isPortOpen, killProcess, stopProcess, tail } from './processes.js';
export { ensureFerretdb, ensureKafkaJars, requireTool } from './prerequisites.js';
export {
  redactUri,
  startFerretdb,
  startKafka,
  waitForKafka,
  waitForMongo,
  type FerretdbProcess,
  type KafkaProcess,
  type Say,
} from './servers.js';
export {
  down,
  logs,
  stackConfig,
  status,
  testStackEnv,
  testStackSettings,
  up,
  type ServerStatus,
  type StackConfig,
  type StackEndpoints,
} from './stack.js';
export {
  SERVICE_NAMES,
  launchPlatform,
  type LaunchOptions,
  type LaunchedPlatform,
  type LaunchedService,
  type ServiceName,
} from './launch.js';
