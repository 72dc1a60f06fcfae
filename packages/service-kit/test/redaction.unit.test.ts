import { Writable } from 'node:stream';

import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';

import { createLogger, createService, defineRoute, redactDeep } from '../src/index.js';

const ID_NUMBER = '43062620100101123X';
const ID_NUMBER_DIGITS = '430626201001011234';
const MOBILE = '13812345678';
const TOKEN = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, destination, text: () => lines.join('') };
}

function expectClean(text: string) {
  for (const secret of [ID_NUMBER, ID_NUMBER_DIGITS, MOBILE, TOKEN, 'hunter2', 's3cr3t-refresh'])
    expect(text).not.toContain(secret);
}

describe('log redaction', () => {
  it('when personal data and secrets are logged in fields, nested objects, arrays, errors and messages, then none reaches the output', () => {
    const out = capture();
    const logger = createLogger({ name: 'test', level: 'info', destination: out.destination });
    logger.info(
      {
        child: { idNumber: ID_NUMBER, note: `guardian phone ${MOBILE}, id ${ID_NUMBER_DIGITS}` },
        list: [`+86 138-1234-5678`, { password: 'hunter2' }],
        refreshToken: 's3cr3t-refresh',
        phoneAsNumber: Number(MOBILE),
        headers: { authorization: `Bearer ${TOKEN}` },
      },
      `registered child ${ID_NUMBER} (mobile ${MOBILE})`,
    );
    logger.error({ err: new Error(`duplicate key ${ID_NUMBER}`) }, 'failed');
    logger.warn('printf style %s', `token ${TOKEN}`);
    const text = out.text();
    expectClean(text);
    expect(text).not.toContain('138-1234-5678');
    expect(text).toContain('[ID-REDACTED]');
    expect(text).toContain('[PHONE-REDACTED]');
    expect(text).toContain('[REDACTED]');
    expect(out.lines).toHaveLength(3);
    for (const line of out.lines) expect(() => JSON.parse(line)).not.toThrow(); // still valid JSON lines
    expect(JSON.parse(out.lines[0]!).msg).toBe('registered child [ID-REDACTED] (mobile [PHONE-REDACTED])');
  });

  it('when an HTTP request carries an Authorization header and an ID number in its URL, then the request log holds neither', async () => {
    const out = capture();
    const service = createService({
      name: 'redaction-probe',
      config: {},
      logger: createLogger({ name: 'redaction-probe', destination: out.destination }),
      routes: [
        defineRoute({
          method: 'get',
          path: '/echo',
          summary: 'echo',
          auth: 'public',
          handler: async () => ({ ok: true }),
        }),
      ],
    });
    await request(service.app)
      .get(`/echo?idNumber=${ID_NUMBER}&q=${MOBILE}`)
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Cookie', 'session=hunter2')
      .expect(400); // unknown query fields are refused — and still logged safely
    const text = out.text();
    expect(text).toContain('/echo');
    expectClean(text);
  });

  it('when ordinary numbers, timestamps and uuids are logged, then they are left alone', () => {
    const value = { count: 33309, at: 1735689600000, id: '0197a3c2-5f1e-7c3a-9b1d-2e4f6a8b0c1d', region: '430626' };
    expect(redactDeep(value)).toEqual(value);
    expect(express).toBeDefined();
  });
});
