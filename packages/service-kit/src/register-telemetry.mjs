/**
 * `node --import @tongxin/service-kit/register-telemetry …`: registers import-in-the-middle's ESM
 * loader hook, so the OpenTelemetry instrumentations (express, mongodb…) can patch modules that
 * are reached through `import` — their require hook only sees `require`. Only the modules an
 * instrumentation asks for are wrapped (the message channel carries its list to the loader), so
 * everything else loads untouched. `initTelemetry()` waits until the loader has acknowledged the
 * list before the service imports express, mongoose or kafkajs.
 *
 * launchPlatform and `npm start` spawn `node --import tsx --import @tongxin/service-kit/register-telemetry apps/<name>/src/main.ts`.
 */
import { register } from 'node:module';

import { createAddHookMessageChannel } from 'import-in-the-middle';

const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

globalThis[Symbol.for('tongxin.telemetry.hooksAcknowledged')] = waitForAllMessagesAcknowledged;
