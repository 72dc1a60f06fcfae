/**
 * Request bodies of the gateway's own API (`@tongxin/contracts/gateway/api`) that the console's
 * forms send: the gateway validates with them at its edge and the console validates its forms with
 * the same schemas before sending. Deliberately light — zod only, never the audit event definitions.
 */
import { z } from 'zod';

/** POST /auth/password — change my password (the policy itself is the gateway's, with its own messages). */
export const ZPasswordChange = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(1).max(256),
});
