import { z } from 'zod';

/** JSON text → value, reporting bad JSON as a zod issue. */
const jsonText = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
    return z.NEVER;
  }
});

const ZPublicJwk = jsonText.pipe(
  z.union([
    z.looseObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: z.string().min(1) }),
    z.looseObject({ keys: z.array(z.looseObject({ kty: z.string(), x: z.string().optional() })).min(1) }),
  ]),
);

/** Size for express.json, e.g. `1mb`, `512kb`, `1048576`. */
const ZByteSize = z.string().regex(/^\d+(b|kb|mb)?$/i, 'must be a size like 1mb, 512kb or 1048576');

/**
 * The environment every service reads. Services extend it (`baseConfigSchema.extend({...})`) and
 * call `loadConfig(schema)` once at boot.
 */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  SERVICE_NAME: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// or mongodb+srv:// URI'),
  /** The service's database name; default `tongxin_<service>`. */
  MONGODB_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, "_" or "-", at most 63')
    .optional(),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: z.coerce.number().int().positive().default(5000),
  KAFKA_BROKERS: z
    .string()
    .min(1)
    .transform((text) =>
      text
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
    ),
  JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_PUBLIC_JWK: ZPublicJwk.optional(),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1),
  BODY_LIMIT: ZByteSize.default('1mb'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});
export type BaseConfig = z.output<typeof baseConfigSchema>;

/** A cross-key rule: returns a message naming the keys when `env` breaks it. */
export type ConfigRule = (env: Record<string, string | undefined>) => string | undefined;

/** Tokens can only be verified with a key: JWKS_URL or JWT_PUBLIC_JWK must be set. */
export const requireJwtKey: ConfigRule = (env) =>
  env.JWKS_URL || env.JWT_PUBLIC_JWK ? undefined : 'JWKS_URL or JWT_PUBLIC_JWK: one of them is required';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once and fails fast, listing EVERY missing or bad key in one error
 * (never their values: they may be secrets).
 */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
  rules: ConfigRule[] = [requireJwtKey],
): z.output<S> {
  // Empty strings count as unset, as most deployment tools cannot unset a variable.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = schema.safeParse(cleaned);
  const problems: string[] = [];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || '(environment)';
      const message = issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : issue.message;
      problems.push(`${key}: ${message}`);
    }
  }
  for (const rule of rules) {
    const problem = rule(cleaned);
    if (problem) problems.push(problem);
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}
