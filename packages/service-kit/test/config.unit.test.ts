import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { baseConfigSchema, ConfigError, loadConfig } from '../src/index.js';

const goodEnv = {
  MONGODB_URI: 'mongodb://127.0.0.1:27027',
  KAFKA_BROKERS: '127.0.0.1:19092, 127.0.0.1:19093',
  JWKS_URL: 'https://gateway.tongxin.test/.well-known/jwks.json',
  JWT_ISSUER: 'https://gateway.tongxin.test',
  JWT_AUDIENCE: 'tongxin',
};

describe('loadConfig', () => {
  it('when the environment is complete, then defaults are applied and values are typed', () => {
    const config = loadConfig(baseConfigSchema, goodEnv);
    expect(config).toMatchObject({
      PORT: 3000,
      LOG_LEVEL: 'info',
      BODY_LIMIT: '1mb',
      KAFKA_BROKERS: ['127.0.0.1:19092', '127.0.0.1:19093'],
    });
  });

  it('when several keys are missing or bad, then one error lists every one of them (and no values)', () => {
    const schema = baseConfigSchema.extend({ REGISTRY_ENCRYPTION_KEY: z.string().length(44) });
    let error: unknown;
    try {
      loadConfig(schema, {
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        MONGODB_URI: 'postgres://secret-host',
        JWT_PUBLIC_JWK: '{not json',
        BODY_LIMIT: 'huge',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems, message } = error as ConfigError;
    const keys = problems.map((p) => p.split(':')[0]);
    expect(keys.sort()).toEqual(
      [
        'BODY_LIMIT',
        'JWT_AUDIENCE',
        'JWT_ISSUER',
        'JWT_PUBLIC_JWK',
        'KAFKA_BROKERS',
        'LOG_LEVEL',
        'MONGODB_URI',
        'PORT',
        'REGISTRY_ENCRYPTION_KEY',
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith('JWT_ISSUER'))).toBe('JWT_ISSUER: is required');
    expect(message).toContain('9 problems');
    expect(message).not.toContain('secret-host');
  });

  it('when neither JWKS_URL nor JWT_PUBLIC_JWK is set, then that is reported with the other problems', () => {
    const { JWKS_URL: _omit, ...env } = goodEnv;
    expect(() => loadConfig(baseConfigSchema, { ...env, PORT: '-1' })).toThrow(/PORT[\s\S]*JWKS_URL or JWT_PUBLIC_JWK/);
  });

  it('when JWT_PUBLIC_JWK holds an Ed25519 JWK, then it is parsed', () => {
    const { JWKS_URL: _omit, ...env } = goodEnv;
    const config = loadConfig(baseConfigSchema, {
      ...env,
      JWT_PUBLIC_JWK: JSON.stringify({ kty: 'OKP', crv: 'Ed25519', x: 'abc' }),
    });
    expect(config.JWT_PUBLIC_JWK).toEqual({ kty: 'OKP', crv: 'Ed25519', x: 'abc' });
  });
});
