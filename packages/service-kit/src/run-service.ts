import type { Service } from './create-service.js';
import type { Logger } from './logging.js';

/**
 * Process-level safety net: an unhandled rejection or uncaught exception leaves the process in an
 * unknown state, so it is logged and the process exits non-zero (the orchestrator restarts it).
 */
export function installProcessHandlers(
  logger: Logger,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection; exiting');
    exit(1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception; exiting');
    exit(1);
  });
}

/**
 * What a service's main.ts calls: starts the service and stops it gracefully on SIGTERM/SIGINT
 * (exit 0; exit 1 when stopping fails; a second signal exits at once with 1).
 */
export async function runService(
  service: Service,
  exit: (code: number) => void = (code) => process.exit(code),
): Promise<{ port: number }> {
  installProcessHandlers(service.logger, exit);
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      service.logger.warn({ signal }, 'second signal; exiting now');
      exit(1);
      return;
    }
    signalled = true;
    service.logger.info({ signal }, 'signal received; shutting down');
    service.stop().then(
      () => exit(0),
      (error: unknown) => {
        service.logger.error({ err: error }, 'shutdown failed');
        exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return service.start();
}
