/**
 * (A) The example service end to end against the real database: the happy path, then every way
 * a request is refused — each with its status and a problem+json naming the problem.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createTestIssuer, unsignedToken } from '../src/testing.js';
import {
  CHILD_ID,
  pingjiangOfficer,
  startNotes,
  validNote,
  YUEYANG_LOUQU,
  type RunningNotes,
} from './example/harness.js';

let notes: RunningNotes;
let officerToken: string;

beforeAll(async () => {
  notes = await startNotes();
  officerToken = await notes.issuer.sign(pingjiangOfficer);
});
afterAll(async () => {
  await notes?.close();
});

const post = (body: unknown, token = officerToken) =>
  request(notes.url)
    .post(`/children/${CHILD_ID}/notes`)
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);

function expectProblem(res: request.Response, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.text) as Record<string, unknown>;
  expect(body).toMatchObject({ type: `urn:tongxin:problem:${code}`, status, code });
  expect(typeof body.title).toBe('string');
  expect(typeof body.instance).toBe('string');
  return body;
}

describe('the example notes service', () => {
  it('when an officer writes and reads a note in their county, then both succeed and both are audited', async () => {
    const created = await post(validNote())
      .set('X-Purpose', encodeURIComponent('家访跟进'))
      .set('X-Request-Id', 'req-create-0001');
    expect(created.status).toBe(201);
    expect(created.headers['x-request-id']).toBe('req-create-0001');
    expect(created.body).toMatchObject({ childId: CHILD_ID, regionCode: '430626101', createdBy: 'officer-pj-1' });

    const read = await request(notes.url)
      .get(`/notes/${created.body.id as string}`)
      .set('Authorization', `Bearer ${officerToken}`);
    expect(read.status).toBe(200);
    expect(read.body.text).toBe(validNote().text);
    expect(read.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/); // generated when not sent

    const audit = await notes.db.connection
      .collection('audit_log')
      .find({ resourceId: CHILD_ID })
      .sort({ at: 1 })
      .toArray();
    expect(audit.map((a) => [a.action, a.actor, a.outcome])).toEqual([
      ['create', 'officer-pj-1', 'success'],
      ['read', 'officer-pj-1', 'success'],
    ]);
    expect(audit[0]).toMatchObject({
      purpose: '家访跟进',
      requestId: 'req-create-0001',
      resource: 'child',
      service: 'notes',
    });
    expect(JSON.stringify(audit)).not.toContain(validNote().text); // no record content in the audit log
  });

  it('when the body has unknown fields (top level and nested), then 400 names each of them', async () => {
    const res = await post(
      validNote({ isAdmin: true, child: { name: '小红', birthDate: '2014-05-01', nickname: 'x' } }),
    );
    const problem = expectProblem(res, 400, 'validation_failed');
    const paths = (problem.errors as { path: string; code: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['body.child.nickname', 'body.isAdmin']);
    expect(await notes.Notes.countDocuments({ text: validNote().text, childName: 'x' })).toBe(0);
  });

  it('when several fields have the wrong type, then 400 lists every bad field, params included', async () => {
    const res = await request(notes.url)
      .post('/children/not-a-uuid/notes')
      .set('Authorization', `Bearer ${officerToken}`)
      .send({ regionCode: 430626, text: '', child: { name: '小红', birthDate: '2014-13-45' } });
    const problem = expectProblem(res, 400, 'validation_failed');
    const errors = problem.errors as { path: string; code: string; message: string }[];
    expect(errors.map((e) => e.path).sort()).toEqual([
      'body.child.birthDate',
      'body.regionCode',
      'body.text',
      'params.childId',
    ]);
    for (const error of errors) expect(error.message.length).toBeGreaterThan(0);
    expect(problem.detail).toContain('body.child.birthDate');
  });

  it('when the body exceeds the limit (1 MB default), then 413 problem+json', async () => {
    const res = await post(validNote({ text: 'x'.repeat(1_100_000) }));
    expectProblem(res, 413, 'payload_too_large');
  });

  it('when the body is malformed JSON, then 400 malformed_json, not 500', async () => {
    const res = await request(notes.url)
      .post(`/children/${CHILD_ID}/notes`)
      .set('Authorization', `Bearer ${officerToken}`)
      .set('Content-Type', 'application/json')
      .send('{"regionCode": "430626", "text": ');
    expectProblem(res, 400, 'malformed_json');
  });

  it('when the body is not JSON at all, then 415', async () => {
    const res = await request(notes.url)
      .post(`/children/${CHILD_ID}/notes`)
      .set('Authorization', `Bearer ${officerToken}`)
      .set('Content-Type', 'text/plain')
      .send('hello');
    expectProblem(res, 415, 'unsupported_media_type');
  });

  it('when no token is sent, then 401 with WWW-Authenticate: Bearer', async () => {
    const res = await request(notes.url).get('/notes');
    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('when the token has expired, then 401 invalid_token', async () => {
    const expired = await notes.issuer.sign(pingjiangOfficer, { expiresIn: -120 });
    const res = await request(notes.url).get('/notes').set('Authorization', `Bearer ${expired}`);
    const problem = expectProblem(res, 401, 'unauthenticated');
    expect(problem.detail).toMatch(/expired/);
    expect(res.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });

  it('when the token is forged with another key (even under the real key id), then 401', async () => {
    const forger = await createTestIssuer({ issuer: notes.issuer.issuer, audience: notes.issuer.audience });
    for (const forged of [
      await forger.sign(pingjiangOfficer, { kid: notes.issuer.kid }),
      await forger.sign(pingjiangOfficer),
    ]) {
      const res = await request(notes.url).get('/notes').set('Authorization', `Bearer ${forged}`);
      expectProblem(res, 401, 'unauthenticated');
    }
  });

  it('when the token is unsigned (alg: none), then 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = unsignedToken({
      ...pingjiangOfficer,
      roles: ['city_admin'],
      iss: notes.issuer.issuer,
      aud: notes.issuer.audience,
      iat: now,
      exp: now + 300,
    });
    const res = await request(notes.url).get('/notes').set('Authorization', `Bearer ${token}`);
    expectProblem(res, 401, 'unauthenticated');
  });

  it('when the token is for another audience, then 401', async () => {
    const token = await notes.issuer.sign(pingjiangOfficer, { audience: 'someone-else' });
    const res = await request(notes.url).get('/notes').set('Authorization', `Bearer ${token}`);
    expectProblem(res, 401, 'unauthenticated');
  });

  it('when the role is not allowed (a charity writing a note), then 403', async () => {
    const charity = await notes.issuer.sign({
      sub: 'charity-1',
      name: '爱心基金会',
      roles: ['charity'],
      donorOrgs: ['org-1'],
    });
    const res = await post(validNote(), charity);
    const problem = expectProblem(res, 403, 'forbidden');
    expect(problem.detail).toContain('county_officer');
  });

  it('when a Pingjiang officer reads a note of another county, then 404 exactly like a missing note', async () => {
    const cityAdmin = await notes.issuer.sign({ sub: 'admin-1', name: '管理员', roles: ['city_admin'] });
    const elsewhere = await post(validNote({ regionCode: `${YUEYANG_LOUQU}001` }), cityAdmin);
    expect(elsewhere.status).toBe(201);

    const outOfScope = await request(notes.url)
      .get(`/notes/${elsewhere.body.id as string}`)
      .set('Authorization', `Bearer ${officerToken}`);
    const missing = await request(notes.url)
      .get(`/notes/${crypto.randomUUID()}`)
      .set('Authorization', `Bearer ${officerToken}`);
    const a = expectProblem(outOfScope, 404, 'not_found');
    const b = expectProblem(missing, 404, 'not_found');
    expect({ ...a, instance: '', requestId: '' }).toEqual({ ...b, instance: '', requestId: '' });

    const list = await request(notes.url).get('/notes?limit=100').set('Authorization', `Bearer ${officerToken}`);
    expect(list.status).toBe(200);
    expect((list.body.items as { regionCode: string }[]).every((n) => n.regionCode.startsWith('430626'))).toBe(true);

    const writeElsewhere = await post(validNote({ regionCode: `${YUEYANG_LOUQU}001` }));
    expectProblem(writeElsewhere, 404, 'not_found');
  });

  it('when an unknown query parameter is sent, then 400 names it', async () => {
    const res = await request(notes.url)
      .get('/notes?limit=5&regionCode=43')
      .set('Authorization', `Bearer ${officerToken}`);
    const problem = expectProblem(res, 400, 'validation_failed');
    expect((problem.errors as { path: string }[]).map((e) => e.path)).toEqual(['query.regionCode']);
  });

  it('when Accept-Language prefers Chinese, then titles and messages are Chinese; otherwise English', async () => {
    const bad = validNote({ text: '', extra: 1 });
    const zh = await post(bad).set('Accept-Language', 'zh-CN,zh;q=0.9,en;q=0.8');
    const en = await post(bad).set('Accept-Language', 'en-GB,en;q=0.9,zh;q=0.5');
    const none = await post(bad);
    const zhBody = expectProblem(zh, 400, 'validation_failed');
    const enBody = expectProblem(en, 400, 'validation_failed');
    expect(zhBody.title).toBe('请求参数无效');
    expect(zh.headers['content-language']).toBe('zh-CN');
    expect(JSON.stringify(zhBody.errors)).toMatch(/[\u4e00-\u9fff]/);
    expect(enBody.title).toBe('The request is not valid');
    expect(JSON.stringify(enBody.errors)).not.toMatch(/[\u4e00-\u9fff]/);
    expect(JSON.parse(none.text).title).toBe('The request is not valid');

    const unauthZh = await request(notes.url).get('/notes').set('Accept-Language', 'zh');
    expect(JSON.parse(unauthZh.text).title).toBe('需要身份认证');
  });

  it('when a path does not exist, then 404 problem+json', async () => {
    expectProblem(await request(notes.url).get('/nowhere'), 404, 'not_found');
  });
});
