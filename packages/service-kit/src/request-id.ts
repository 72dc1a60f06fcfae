import { randomUUID } from 'node:crypto';

import type { RequestHandler } from 'express';

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/** Honours a well-formed incoming `X-Request-Id`, else generates one; echoes it on the response. */
export const requestIdMiddleware: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming && WELL_FORMED.test(incoming) ? incoming : randomUUID();
  req.requestId = id;
  (req as unknown as { id: string }).id = id;
  res.setHeader('X-Request-Id', id);
  next();
};
