import type { AuditFn } from './audit.js';
import type { Principal } from './principal.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id (`X-Request-Id`, honoured when well-formed, else generated). */
    requestId: string;
    /** The authenticated caller; set on protected routes. */
    principal?: Principal;
    /** Records an audit entry for this request (who/when/request id filled in). */
    audit: AuditFn;
  }
}

export {};
