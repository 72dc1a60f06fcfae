/**
 * @tongxin/service-kit — one call wires a service the same way everywhere (README.md).
 * Tracing lives in '@tongxin/service-kit/telemetry' (imported first by main.ts), test tokens in
 * '@tongxin/service-kit/testing'.
 */
import './express-types.js';

export { auditEntryFor, memoryAuditSink, mongooseAuditSink } from './audit.js';
export type { AuditAction, AuditEntry, AuditEvent, AuditFn, AuditOutcome, AuditSink } from './audit.js';
export { bearerToken, createTokenVerifier } from './auth.js';
export type { AuthOptions, TokenVerifier } from './auth.js';
export { baseConfigSchema, ConfigError, loadConfig, requireJwtKey } from './config.js';
export type { BaseConfig, ConfigRule } from './config.js';
export { createService } from './create-service.js';
export type { Service, ServiceConfig, ServiceOptions } from './create-service.js';
export { createDatabase, serviceDatabaseName } from './database.js';
export type { Database, DatabaseOptions } from './database.js';
export { isDatabaseUnavailable } from './database-errors.js';
export { AppError, PROBLEM_TITLES } from './errors.js';
export type { AppErrorOptions, LocalizedText } from './errors.js';
export { languageOf } from './language.js';
export type { Language } from './language.js';
export type { Lifecycle, ReadinessCheck } from './lifecycle.js';
export { createLogger } from './logging.js';
export type { Logger, LoggerOptions } from './logging.js';
export { ensureMetrics, getMeter } from './metrics.js';
export { buildOpenApi } from './openapi.js';
export { ROLES, ZDepartment, ZRole, ZTongxinClaims } from './principal.js';
export type { Department, Principal, Role, TongxinClaims } from './principal.js';
export { PROBLEM_CONTENT_TYPE, problemType, toAppError } from './problem.js';
export { redactDeep, redactString } from './redact.js';
export { defineRoute } from './routes.js';
export type { AnyRoute, HttpMethod, RouteContext, RouteDefinition } from './routes.js';
export { installProcessHandlers, runService } from './run-service.js';
export { assertInScope, canSeeFacility, canSeeRegion, isInScope, regionFilter } from './scope.js';
export type { ScopedObject } from './scope.js';
export { createSealer, parseKey, SealError } from './sealing.js';
export type { Sealer, SealingKeys } from './sealing.js';
export { strictDeep } from './strict-schema.js';
export type { FieldError } from './validation.js';
