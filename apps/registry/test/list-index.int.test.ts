/**
 * The children's list index on the real stack: lists read one slim collection per county and give
 * exactly what a scan of the register gives; what a crash or a failed write leaves wrong in the
 * index is put right by the reconcile at start and by reading the page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findPage } from '../src/persistence/find-page.js';
import type { ChildDoc } from '../src/persistence/models.js';
import {
  ANDING_TOWN,
  CHANGFENG_VILLAGE,
  countyOfficer,
  leftBehindChild,
  LOUQU_COMMUNITY,
  residentId,
  startRegistry,
  townshipOfficer,
  type Api,
  type RunningRegistry,
} from './support/harness.js';

const YUEYANGLOU = '430602';
type Listed = { total: number; items: { id: string; regionCode: string }[] };

describe('the list index', () => {
  let registry: RunningRegistry;
  let county: Api;
  let township: Api;
  let admin: Api;
  let bothCounties: Api;
  const ids: Record<string, string> = {};

  const index = (county: string) => registry.db.connection.collection(`children_by_county_${county}`);
  /** What a scan of the register itself answers (the path before the index). */
  const scanned = async (filter: Record<string, unknown>) => {
    const { total, docs } = await findPage(
      registry.models.Children,
      filter,
      { regionCode: 1, _id: 1 },
      {
        page: 1,
        pageSize: 200,
      },
    );
    return { total, ids: docs.map((d: ChildDoc) => d._id) };
  };
  const listed = async (api: Api, query: string): Promise<{ total: number; ids: string[] }> => {
    const res = await api.get(`/children?pageSize=200${query}`);
    expect(res.status).toBe(200);
    const body = res.body as Listed;
    return { total: body.total, ids: body.items.map((c) => c.id) };
  };

  beforeAll(async () => {
    registry = await startRegistry();
    county = await registry.as(countyOfficer());
    township = await registry.as(townshipOfficer());
    admin = await registry.as({ sub: 'admin', name: '管理员', roles: ['city_admin'] });
    bothCounties = await registry.as(countyOfficer(['430626', YUEYANGLOU]));
    const register = async (key: string, api: Api, overrides: Record<string, unknown>) => {
      const res = await api.post('/children', leftBehindChild(overrides));
      expect(res.status).toBe(201);
      ids[key] = res.body.id;
    };
    await register('fushou', township, { name: '李一' });
    await register('changfeng', township, { name: '李二', regionCode: CHANGFENG_VILLAGE });
    await register('unsupervised', township, {
      name: '李三',
      supervision: 'unsupervised',
      guardian: undefined,
    });
    await register('notLeftBehind', township, {
      name: '李四',
      parents: [
        { relation: 'father', status: 'migrant_worker', workPlace: '浙江杭州' },
        { relation: 'mother', status: 'at_home' },
      ],
    });
    await register('louqu', bothCounties, {
      name: '刘五',
      regionCode: LOUQU_COMMUNITY,
      idNumber: residentId('2013-03-03', 'female', YUEYANGLOU),
      birthDate: '2013-03-03',
      address: '岳阳楼区洛王街道',
    });
    await register('exited', township, { name: '李六' });
    const exited = await township.get(`/children/${ids.exited}`);
    expect(
      (
        await township.post(`/children/${ids.exited}/exit`, {
          expectedSequence: exited.body.sequence,
          reason: 'other',
          exitedOn: '2026-11-30',
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('when lists are read, then each comes from the county collections and equals a scan of the register', async () => {
    expect(registry.childIndex.ready).toBe(true);
    expect(await index('430626').countDocuments()).toBe(5);
    expect(await index(YUEYANGLOU).countDocuments()).toBe(1);
    const entry = await index('430626').findOne({ _id: ids.fushou as never });
    // Slim: the listed fields only, never the ID number, parents, guardian or health.
    expect(Object.keys(entry!).sort()).toEqual(
      ['_id', 'categories', 'name', 'regionCode', 'schooling', 'sequence', 'status', 'supervision'].sort(),
    );

    const township1 = await listed(township, '');
    expect(township1).toEqual(await scanned({ regionCode: { $regex: `^${ANDING_TOWN}` }, status: 'active' }));
    expect(township1.ids).toHaveLength(4);
    // Region order: Fushou (…201) before Changfeng (…202).
    expect(township1.ids.indexOf(ids.fushou!)).toBeLessThan(township1.ids.indexOf(ids.changfeng!));

    expect(await listed(admin, '')).toEqual(await scanned({ status: 'active' }));
    expect((await listed(admin, '')).total).toBe(5);
    expect(await listed(bothCounties, `&region=${YUEYANGLOU}`)).toEqual({ total: 1, ids: [ids.louqu] });
    expect(await listed(county, `&region=${YUEYANGLOU}`)).toEqual({ total: 0, ids: [] });
    expect(await listed(county, '&status=exited')).toEqual({ total: 1, ids: [ids.exited] });
    expect(await listed(county, '&supervision=unsupervised')).toEqual({ total: 1, ids: [ids.unsupervised] });
    expect(await listed(county, '&category=left_behind')).toEqual(
      await scanned({ regionCode: { $regex: '^430626' }, status: 'active', categories: 'left_behind' }),
    );
    expect((await listed(county, '&category=left_behind')).ids).not.toContain(ids.notLeftBehind);
    expect(await listed(county, `&name=${encodeURIComponent('李二')}`)).toEqual({ total: 1, ids: [ids.changfeng] });

    // Paging: pages of 2 put together give the whole list, with the same total on each page.
    const pages: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await township.get(`/children?pageSize=2&page=${page}`);
      expect(res.body.total).toBe(4);
      pages.push(...(res.body as Listed).items.map((c) => c.id));
    }
    expect(pages).toEqual(township1.ids);
  });

  it('when a crash left an entry missing, one behind and one without a child, then the reconcile at start puts them right', async () => {
    const pingjiang = index('430626');
    await pingjiang.deleteOne({ _id: ids.fushou as never });
    await pingjiang.updateOne({ _id: ids.changfeng as never }, { $set: { sequence: 0, status: 'exited' } });
    await pingjiang.insertOne({
      _id: 'gone-child' as never,
      sequence: 3,
      // Outside the township listed below, so no page read repairs it before the reconcile.
      regionCode: '430626199201',
      status: 'active',
      categories: ['left_behind'],
      supervision: 'supervised',
      schooling: { status: 'enrolled' },
      name: '不存在',
    });
    // The index is wrong now: the list shows it.
    const wrong = await listed(township, '');
    expect(wrong.ids).not.toContain(ids.fushou);

    const fixed = await registry.childIndex.reconcile();
    expect(fixed).toEqual({ written: 2, removed: 1 });
    expect(await listed(township, '')).toEqual(
      await scanned({ regionCode: { $regex: `^${ANDING_TOWN}` }, status: 'active' }),
    );
    // Nothing left to do: a second reconcile writes nothing.
    expect(await registry.childIndex.reconcile()).toEqual({ written: 0, removed: 0 });
  });

  it('when an entry on a page is behind its child, then reading the page rewrites it', async () => {
    const pingjiang = index('430626');
    const child = await registry.models.Children.findById(ids.unsupervised).lean<ChildDoc>();
    await pingjiang.updateOne({ _id: ids.unsupervised as never }, { $set: { sequence: child!.sequence - 1 } });
    const page = await listed(township, '');
    expect(page.ids).toContain(ids.unsupervised);
    expect((await pingjiang.findOne({ _id: ids.unsupervised as never }))!.sequence).toBe(child!.sequence);
  });

  it('when a child moves to another county, then its entry leaves the old county’s collection', async () => {
    const before = await bothCounties.get(`/children/${ids.changfeng}`);
    const moved = await bothCounties.patch(`/children/${ids.changfeng}`, {
      expectedSequence: before.body.sequence,
      regionCode: LOUQU_COMMUNITY,
      address: '岳阳楼区洛王街道',
    });
    expect(moved.status).toBe(200);
    expect(await index('430626').findOne({ _id: ids.changfeng as never })).toBeNull();
    expect((await index(YUEYANGLOU).findOne({ _id: ids.changfeng as never }))!.sequence).toBe(moved.body.sequence);
    expect((await listed(township, '')).ids).not.toContain(ids.changfeng);
    expect((await listed(bothCounties, `&region=${YUEYANGLOU}`)).ids.sort()).toEqual([ids.louqu, ids.changfeng].sort());
  });
});
