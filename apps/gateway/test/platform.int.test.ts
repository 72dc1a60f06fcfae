/**
 * The gateway in front of the real registry, facilities, donations and volunteers services (child processes that verify
 * tokens through the gateway's JWKS): accounts created down the chain city → county → township /
 * facility manager reach only their scope; a service restarted after a key rotation verifies the
 * new tokens; a service that is down answers 503 with Retry-After naming it; reads of a child are in the
 * hash-chained audit trail, and an entry altered in the database is found.
 */
import { randomBytes, randomUUID } from 'node:crypto';

import { makeResidentId } from '@tongxin/contracts/values';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  ADMIN,
  call,
  freePort,
  login,
  PASSWORD,
  spawnService,
  startGateway,
  type ChildService,
  type RunningGateway,
} from './support/harness.js';

const PINGJIANG = '430626';
const ANDING_TOWN = '430626101';
const OTHER_TOWN = '430626102';
const FUSHOU_VILLAGE = '430626101201';
const CHANGFENG_VILLAGE = '430626101202';

function child() {
  const year = 2012 + Math.floor(Math.random() * 6);
  const birthDate = `${year}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
  return {
    name: '李小红',
    sex: 'female',
    birthDate,
    ethnicity: '汉族',
    idNumber: makeResidentId({
      regionCode: PINGJIANG,
      birthDate,
      sequence: Math.floor(Math.random() * 499),
      sex: 'female',
    }),
    hukou: { status: 'registered', kind: 'rural' },
    regionCode: FUSHOU_VILLAGE,
    address: '平江县安定镇福寿村3组',
    schooling: { status: 'enrolled', school: '安定镇中心小学', grade: '五年级' },
    health: { status: 'healthy' },
    parents: [
      { relation: 'father', name: '李建国', status: 'migrant_worker', workPlace: '广东东莞' },
      { relation: 'mother', name: '张丽', status: 'migrant_worker', workPlace: '广东深圳' },
    ],
    guardian: { kind: 'grandparent', name: '王秀英', relation: 'paternal_grandmother', capacity: 'capable' },
    supervision: 'supervised',
    assistance: [],
  };
}

describe('gateway in front of registry, facilities, donations and volunteers', () => {
  let gw: RunningGateway;
  let registry: ChildService;
  let facilities: ChildService;
  let donations: ChildService;
  let volunteers: ChildService;
  let admin: string;
  const tokens: Record<string, string> = {};
  let childId: string;
  let facilityId: string;

  beforeAll(async () => {
    const [registryPort, facilitiesPort, donationsPort, volunteersPort, deadPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    gw = await startGateway({
      GATEWAY_UPSTREAMS: [
        `registry=http://127.0.0.1:${registryPort}`,
        `facilities=http://127.0.0.1:${facilitiesPort}`,
        `donations=http://127.0.0.1:${donationsPort}`,
        `volunteers=http://127.0.0.1:${volunteersPort}`,
        `reporting=http://127.0.0.1:${deadPort}`,
      ].join(','),
    });
    const jwks = `${gw.url}/.well-known/jwks.json`;
    [registry, facilities, donations, volunteers] = await Promise.all([
      spawnService('registry', registryPort, jwks),
      spawnService('facilities', facilitiesPort, jwks),
      spawnService('donations', donationsPort, jwks),
      spawnService('volunteers', volunteersPort, jwks),
    ]);
    admin = (await login(gw.url, ADMIN.username, ADMIN.password)).access;
  });
  afterAll(async () => {
    await Promise.all([registry?.dispose(), facilities?.dispose(), donations?.dispose(), volunteers?.dispose()]);
    await gw?.close();
  });

  const createUser = async (token: string, body: Record<string, unknown>) => {
    const password = PASSWORD('x');
    const res = await call(gw.url, 'POST', '/users', { token, body: { password, ...body } });
    return { res, password };
  };
  const account = async (token: string, body: Record<string, unknown>): Promise<string> => {
    const { res, password } = await createUser(token, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (await login(gw.url, body.username as string, password)).access;
  };

  it('city admin → county officer → township officers and a facility manager, each limited to their scope', async () => {
    const suffix = randomBytes(3).toString('hex');
    tokens.county = await account(admin, {
      username: `pj-county-${suffix}`,
      name: '平江县民政局',
      role: 'county_officer',
      regions: [PINGJIANG],
      adminRegion: PINGJIANG,
      department: 'civil_affairs',
    });
    const township = { role: 'township_officer', department: 'civil_affairs', name: '乡镇民政' };
    tokens.anding = await account(tokens.county, {
      ...township,
      username: `anding-${suffix}`,
      regions: [ANDING_TOWN],
      adminRegion: ANDING_TOWN,
    });
    tokens.other = await account(tokens.county, {
      ...township,
      username: `other-${suffix}`,
      regions: [OTHER_TOWN],
      adminRegion: OTHER_TOWN,
    });

    // Not above their station, not outside their county.
    const tooHigh = await createUser(tokens.county, {
      username: `cc-${suffix}`,
      name: '某',
      role: 'county_officer',
      regions: [PINGJIANG],
      adminRegion: PINGJIANG,
    });
    expect(tooHigh.res.status).toBe(403);
    const elsewhere = await createUser(tokens.county, {
      ...township,
      username: `yy-${suffix}`,
      regions: ['430602001'],
      adminRegion: '430602001',
    });
    expect(elsewhere.res.status).toBe(403);
    expect(elsewhere.res.body.detail).toMatch(/outside your regions/);

    const opened = await call(gw.url, 'POST', '/api/facilities/facilities', {
      token: tokens.county,
      body: {
        code: `PJ-${randomUUID().slice(0, 6)}`,
        name: '长丰村儿童之家',
        kind: 'village_based',
        regionCode: CHANGFENG_VILLAGE,
        address: '平江县安定镇长丰村',
        openedOn: '2017-09-01',
        managers: [],
        openingHours: '周六 9:00-11:00',
        capacity: 30,
      },
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    facilityId = opened.body.id;

    // A facility the creator cannot see is refused (checked with the facilities service).
    const unseen = await createUser(tokens.other, {
      username: `mgr-x-${suffix}`,
      name: '某',
      role: 'facility_manager',
      facilities: [facilityId],
      adminRegion: OTHER_TOWN,
    });
    expect(unseen.res.status).toBe(403);
    tokens.manager = await account(tokens.anding, {
      username: `mgr-${suffix}`,
      name: '儿童主任',
      role: 'facility_manager',
      facilities: [facilityId],
      adminRegion: ANDING_TOWN,
    });

    const registered = await call(gw.url, 'POST', '/api/registry/children', {
      token: tokens.county,
      body: child(),
      headers: { 'x-purpose': 'registration' },
    });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    childId = registered.body.id;

    const purpose = { 'x-purpose': encodeURIComponent('入户走访') };
    expect(
      (await call(gw.url, 'GET', `/api/registry/children/${childId}`, { token: tokens.anding, headers: purpose }))
        .status,
    ).toBe(200);
    expect((await call(gw.url, 'GET', `/api/registry/children/${childId}`, { token: tokens.other })).status).toBe(404);
    const managerRegisters = await call(gw.url, 'POST', '/api/registry/children', {
      token: tokens.manager,
      body: child(),
    });
    expect(managerRegisters.status).toBe(403);
    expect(
      (await call(gw.url, 'GET', `/api/facilities/facilities/${facilityId}`, { token: tokens.manager })).status,
    ).toBe(200);
    expect(
      (await call(gw.url, 'GET', `/api/facilities/facilities/${facilityId}`, { token: tokens.other })).status,
    ).toBe(404);

    const docs = await call(gw.url, 'GET', '/api/docs.json');
    expect(docs.body.registry.ok).toBe(true);
    expect(docs.body.donations.ok).toBe(true);
    expect(docs.body.reporting).toEqual({ ok: false, error: 'unreachable' });
  });

  it('charities and volunteer coordinators logged in through the gateway reach only their own organisation', async () => {
    const suffix = randomBytes(3).toString('hex');
    const donor = async (donorId: string, displayName: string) => {
      const res = await call(gw.url, 'POST', '/api/donations/donors', {
        token: admin,
        body: { donorId, kind: 'organisation', organisationType: 'foundation', displayName },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    await donor(`zhide-${suffix}`, '致德慈善基金会');
    await donor(`ccf-${suffix}`, '中华慈善总会');
    const charity = await account(admin, {
      username: `zhide-${suffix}`,
      name: '致德慈善基金会',
      role: 'charity',
      donorOrgs: [`zhide-${suffix}`],
    });
    const theirs = await call(gw.url, 'POST', '/api/donations/donations', {
      token: admin,
      body: {
        donorId: `ccf-${suffix}`,
        kind: 'money',
        purpose: 'unrestricted',
        receivedOn: '2018-06-01',
        amountYuan: '1000.00',
      },
    });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const mine = await call(gw.url, 'POST', '/api/donations/donations', {
      token: charity,
      body: {
        donorId: `zhide-${suffix}`,
        kind: 'money',
        purpose: 'unrestricted',
        receivedOn: '2018-06-01',
        amountYuan: '500.00',
      },
    });
    expect(mine.status, JSON.stringify(mine.body)).toBe(201);
    expect((await call(gw.url, 'GET', `/api/donations/donations/${theirs.body.id}`, { token: charity })).status).toBe(
      404,
    );
    const listed = await call(gw.url, 'GET', '/api/donations/donations', { token: charity });
    expect(listed.body.items.map((d: { id: string }) => d.id)).toEqual([mine.body.id]);
    // A charity never reads the register.
    expect((await call(gw.url, 'GET', `/api/registry/children/${childId}`, { token: charity })).status).toBe(403);

    const org = await call(gw.url, 'POST', '/api/volunteers/organisations', {
      token: admin,
      body: { organisationId: `yl-${suffix}`, kind: 'youth_league', name: '共青团平江县委', regionCode: PINGJIANG },
    });
    expect(org.status, JSON.stringify(org.body)).toBe(201);
    const coordinator = await account(admin, {
      username: `yl-${suffix}`,
      name: '团县委',
      role: 'volunteer_coordinator',
      volunteerOrgs: [org.body.id],
    });
    expect((await call(gw.url, 'GET', '/api/volunteers/organisations', { token: coordinator })).status).toBe(200);
    expect((await call(gw.url, 'GET', `/api/donations/donations/${mine.body.id}`, { token: coordinator })).status).toBe(
      403,
    );
  });

  it('records reads of a child in the hash chain; an altered entry is named by /audit/verify', async () => {
    const auditor = await account(admin, {
      username: `auditor-${randomBytes(3).toString('hex')}`,
      name: '审计员',
      role: 'auditor',
    });
    expect((await call(gw.url, 'GET', '/audit/verify', { token: tokens.county })).status).toBe(403);
    const found = await call(gw.url, 'GET', `/audit?childId=${childId}`, { token: auditor });
    expect(found.status).toBe(200);
    const read = found.body.items.find(
      (e: { method: string; status: number }) => e.method === 'GET' && e.status === 200,
    );
    expect(read).toMatchObject({
      action: 'read',
      target: 'registry',
      purpose: '入户走访',
      childId,
      roles: ['township_officer'],
    });
    expect(read.user).toMatch(/^anding-/);
    expect(Date.parse(read.at)).toBeGreaterThan(Date.now() - 600_000);

    const sheet = await fetch(`${gw.url}/audit/export.xlsx?childId=${childId}`, {
      headers: { authorization: `Bearer ${auditor}` },
    });
    expect(sheet.status).toBe(200);
    expect(
      Buffer.from(await sheet.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');

    const verified = await call(gw.url, 'GET', '/audit/verify', { token: auditor });
    expect(verified.body).toMatchObject({ ok: true });
    await gw.models.AuditChain.collection.updateOne({ _id: read.seq } as never, { $set: { purpose: '随便看看' } });
    const broken = await call(gw.url, 'GET', '/audit/verify', { token: auditor });
    expect(broken.body).toMatchObject({ ok: false, brokenAt: read.seq });
    expect(broken.body.reason).toMatch(/altered/);
  });

  it('a service down answers 503 with Retry-After naming it (it may be restarting: retry)', async () => {
    const res = await call(gw.url, 'GET', '/api/reporting/anything', { token: tokens.county });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'upstream_unavailable', upstream: 'reporting' });
    expect(res.body.detail).toMatch(/reporting/);
  });

  it('after a key rotation, a restarted registry verifies fresh tokens (and tokens of the previous key)', async () => {
    const before = tokens.anding!;
    const rotated = await call(gw.url, 'POST', '/admin/keys/rotate', { token: admin });
    expect(rotated.status).toBe(200);
    const jwks = await call(gw.url, 'GET', '/.well-known/jwks.json');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([rotated.body.kid, rotated.body.previousKid]);

    await registry.restart();
    const fresh = await login(gw.url, ADMIN.username, ADMIN.password);
    const header = JSON.parse(Buffer.from(fresh.access.split('.')[0]!, 'base64url').toString());
    expect(header.kid).toBe(rotated.body.kid);
    const city = await call(gw.url, 'GET', `/api/registry/children/${childId}`, { token: fresh.access });
    expect(city.status, JSON.stringify(city.body)).toBe(200);
    expect((await call(gw.url, 'GET', `/api/registry/children/${childId}`, { token: before })).status).toBe(200);
  });
});
