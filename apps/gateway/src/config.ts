/** The gateway's environment: the base service keys plus identity, routing, limits and audit. */
import { baseConfigSchema } from '@tongxin/service-kit';
import { z } from 'zod';

/** Services the gateway routes to under `/api/<name>/*`. */
export const UPSTREAM_NAMES = ['registry', 'facilities', 'donations', 'volunteers', 'reporting'] as const;
export type UpstreamName = (typeof UPSTREAM_NAMES)[number];

/** `registry=http://127.0.0.1:3001,facilities=http://127.0.0.1:3002` → a map. */
const ZUpstreams = z
  .string()
  .default('')
  .transform((text, ctx) => {
    const out: Partial<Record<UpstreamName, string>> = {};
    for (const part of text
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)) {
      const [name, url] = part.split('=', 2).map((s) => s.trim());
      if (!UPSTREAM_NAMES.includes(name as UpstreamName) || !url || !/^https?:\/\/[^/]+\/?$/.test(url)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${part}" is not <service>=http://host:port (${UPSTREAM_NAMES.join(', ')})`,
        });
        return z.NEVER;
      }
      out[name as UpstreamName] = url.replace(/\/$/, '');
    }
    return out;
  });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

export const gatewayConfigSchema = baseConfigSchema.extend({
  /** The gateway issues tokens itself and does not use Kafka yet: both optional here. */
  KAFKA_BROKERS: z.string().optional(),
  /** Issuer and audience of the tokens the gateway signs (services expect the same values). */
  JWT_ISSUER: z.string().min(1).default('https://gateway.tongxin.local'),
  JWT_AUDIENCE: z.string().min(1).default('tongxin'),
  /** The gateway's own JSON bodies (login, users): small. */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)?$/i)
    .default('64kb'),
  /** A private Ed25519 JWK (JSON, with `kid`). When set, rotation happens by redeploying, not by API. */
  GATEWAY_SIGNING_KEY: z.string().optional(),
  /** Where generated keys are kept (current + previous); git-ignored. */
  GATEWAY_KEYS_FILE: z.string().default('.data/gateway/keys.json'),
  ACCESS_TOKEN_TTL_SECONDS: positiveInt(900),
  REFRESH_TOKEN_TTL_HOURS: positiveInt(12),
  GATEWAY_BOOTSTRAP_ADMIN_USERNAME: z.string().optional(),
  GATEWAY_BOOTSTRAP_ADMIN_PASSWORD: z.string().optional(),
  /** Failed logins in a row before an account is locked (until unlocked by an administrator). */
  GATEWAY_LOCKOUT_ATTEMPTS: positiveInt(5),
  GATEWAY_UPSTREAMS: ZUpstreams,
  /** How long an upstream may take to start answering before 504. */
  GATEWAY_UPSTREAM_TIMEOUT_MS: positiveInt(30_000),
  /** Largest request body passed to a service (uploads of department lists are up to 20 MB). */
  GATEWAY_PROXY_BODY_LIMIT_BYTES: positiveInt(25 * 1024 * 1024),
  /** Requests per minute per client IP (every route) and per user (proxied calls). */
  GATEWAY_RATE_LIMIT_IP_PER_MINUTE: positiveInt(600),
  GATEWAY_RATE_LIMIT_USER_PER_MINUTE: positiveInt(300),
  /** Login attempts per minute per IP + username. */
  GATEWAY_LOGIN_LIMIT_PER_MINUTE: positiveInt(10),
  /** Largest request head (request line + headers); larger → 431. */
  GATEWAY_MAX_HEADER_BYTES: positiveInt(16 * 1024),
  /** The console's origin: the only one CORS allows (none when unset). */
  GATEWAY_CONSOLE_ORIGIN: z.url().optional(),
  /** The built console (`apps/console/dist`) to serve at `/` (none when unset). */
  GATEWAY_CONSOLE_DIR: z.string().min(1).optional(),
});
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
