import type { RequestHandler } from 'express';

export interface CheckResult {
  ready: boolean;
  detail?: string;
}

export type NamedCheck = { name: string; run: () => CheckResult | Promise<CheckResult> };

const CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: NamedCheck): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(
      () => resolve({ ready: false, detail: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(check.run), timeout]);
  } catch (error) {
    return { ready: false, detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** `/healthz`: the process is alive and serving. Nothing else is checked (restarts fix nothing else). */
export const healthz: RequestHandler = (_req, res) => {
  res.status(200).json({ status: 'ok' });
};

/**
 * `/readyz`: 200 only when every check passes; else 503 with each check's state. During shutdown
 * it is 503 at once, so the load balancer stops sending traffic.
 */
export function readyz(checks: () => NamedCheck[], isShuttingDown: () => boolean): RequestHandler {
  return async (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting_down', checks: {} });
      return;
    }
    const list = checks();
    const results = await Promise.all(list.map(runCheck));
    const byName = Object.fromEntries(list.map((check, i) => [check.name, results[i]]));
    const ready = results.every((r) => r.ready);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks: byName });
  };
}
