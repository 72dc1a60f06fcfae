/**
 * The whole platform for the tests that need it (rolling restart, one trace): launchPlatform with
 * a fresh database prefix, its consumer groups starting at the current end of every topic
 * (`consumersFrom: 'now'`): the Kafka on a development machine is shared and keeps every event
 * other runs ever published, which a new group would otherwise replay first. Each service still
 * creates its topics and subscribes exactly as in production; it only starts from "now".
 */
import { launchPlatform, type LaunchedPlatform, type LaunchOptions } from '@tongxin/local-stack';
import { kafkaBrokers, mongodbUri } from '@tongxin/testkit';

export async function launchFreshPlatform(
  options: Omit<LaunchOptions, 'kafkaBrokers' | 'mongodbUri'> = {},
): Promise<LaunchedPlatform> {
  return launchPlatform({
    kafkaBrokers: kafkaBrokers().join(','),
    mongodbUri: mongodbUri(),
    consumersFrom: 'now',
    readyTimeoutSeconds: 150,
    ...options,
  });
}

/** Stops every service and drops the platform's databases. */
export async function disposePlatform(platform: LaunchedPlatform | undefined): Promise<void> {
  await platform?.dispose();
}
