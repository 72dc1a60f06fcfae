/**
 * Builds a city through the running platform, phase by phase, each by the account that really does
 * the work: the city administrator creates county officers; they create township officers,
 * department clerks and (with the homes they open) facility managers; clerks upload their
 * department's lists; township officers cross-check, review and apply them, open cases and receive
 * mandatory reports; clerks resolve their department's cases; managers enrol children and log
 * activities; charities register, allocate and ship books; a volunteer coordinator runs a camp;
 * county officers pay bursaries (助学金) out of the provincial fund to single children and
 * acknowledge them. At the end the annual report is read and compared, figure by figure, with the plan.
 */
import { randomBytes } from 'node:crypto';

import {
  buildCity,
  csvOf,
  DEPARTMENTS,
  registrationOf,
  xlsxOf,
  type City,
  type Department,
  type TrueChild,
} from './city.js';
import { createPool, HttpError, Session, until, type Json, type Stats } from './http.js';
import { personName, mobile } from './people.js';
import { expectedFigures, planOf, reportFigures, type Plan, type Profile } from './profile.js';
import type { Progress } from './progress.js';
import { seeded, type Random } from './random.js';

export interface ScenarioOptions {
  gateway: string;
  admin: { username: string; password: string };
  profile: Profile;
  scale: number;
  seed: number;
  concurrency?: number;
  progress: Progress;
  /** Use only the first N townships of each county (fewer uploads: each list costs seconds). */
  townshipsPerCounty?: number;
  /**
   * How many townships register their children from the department lists (upload, cross-check,
   * review, apply): the first township of each county, in the profile's order, up to this number
   * (default: one per county). The other townships' children are registered one by one through
   * `POST /children` by the township officer — see README "Lists or HTTP: measured".
   */
  listTownships?: number;
  /** How long to wait for the report to show every figure. */
  settleTimeoutMs?: number;
}

export interface Comparison {
  figure: string;
  expected: number;
  actual: number;
  ok: boolean;
}

export interface ScenarioResult {
  plan: Plan;
  year: number;
  expected: Record<string, number>;
  comparisons: Comparison[];
  ok: boolean;
  report: Json;
  /** A child with a case, a home, activities, the camp and a bursary (for the timeline). */
  timelineChild?: { childId: string; county: string };
  /** A county officer of another county than the timeline child's. */
  outsider?: { username: string; password: string };
  accounts: Record<string, { username: string; password: string }>;
  /** Ids of every aggregate this run created: children, cases, reports, homes, donations, events. */
  created: Set<string>;
  stats: Stats & { ms: number; phases: Record<string, number> };
}

const beijingDate = (d = new Date()) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const addDays = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const yuanText = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

export async function runScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const { progress, profile, scale } = options;
  const random: Random = seeded(options.seed);
  const today = beijingDate();
  const year = Number(today.slice(0, 4));
  const plan = planOf(profile, scale);
  if (options.townshipsPerCounty)
    for (const c of plan.counties) c.townships = c.townships.slice(0, options.townshipsPerCounty);
  const expected = expectedFigures(plan);
  const stats: Stats = { requests: 0, retries: 0 };
  const pool = createPool(options.concurrency ?? 6);
  const tag = randomBytes(3).toString('hex');
  const accounts: Record<string, { username: string; password: string }> = {};
  const phases: Record<string, number> = {};
  const created = new Set<string>();
  const session = (username: string, password: string) => new Session(options.gateway, username, password, pool, stats);
  const admin = session(options.admin.username, options.admin.password);
  const all = <T, R>(items: readonly T[], f: (item: T, i: number) => Promise<R>) => Promise.all(items.map(f));
  /** Consecutive parts of at most `size` items (a batch endpoint's limit). */
  const chunks = <T>(items: readonly T[], size: number): T[][] =>
    Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
  const groupBy = <T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> => {
    const groups = new Map<string, T[]>();
    for (const item of items) {
      const group = groups.get(key(item));
      if (group) group.push(item);
      else groups.set(key(item), [item]);
    }
    return groups;
  };

  async function phase<T>(name: string, total: number, work: (tick: () => void) => Promise<T>): Promise<T> {
    const t0 = Date.now();
    const p = progress.phase(name, total);
    const result = await work(() => p.tick());
    p.done();
    phases[name] = Date.now() - t0;
    return result;
  }

  // The report before, so a platform with earlier data is compared by difference.
  const before = reportFigures(
    (await admin.get(`/api/reporting/reports/annual?region=${plan.city.code}&year=${year}`)).figures,
  );

  const city: City = buildCity(plan, random, today);
  progress.say(
    `scenario: ${plan.city.name} ×${scale}, seed ${options.seed}, ${city.children.length} children in ${city.lists.length} townships, report year ${year}`,
  );

  // ---- accounts ------------------------------------------------------------------------------
  const password = () => `Tx${randomBytes(6).toString('hex')}9`;
  async function createUser(creator: Session, key: string, body: Record<string, unknown>): Promise<Session> {
    const username = `${key}-${tag}`.slice(0, 32);
    const pw = password();
    await creator.post('/users', { username, password: pw, ...body });
    accounts[key] = { username, password: pw };
    return session(username, pw);
  }
  const countyOfficer = new Map<string, Session>();
  const townshipOfficer = new Map<string, Session>();
  const clerk = new Map<string, Session>(); // `${county}:${department}`
  const townshipCount = plan.counties.reduce((a, c) => a + c.townships.length, 0);
  await phase('accounts 账号', plan.counties.length * 4 + townshipCount, async (tick) => {
    await all(plan.counties, async (c) => {
      const officer = await createUser(admin, `co${c.code}`, {
        name: `${c.name}民政局`,
        role: 'county_officer',
        regions: [c.code],
        adminRegion: c.code,
        department: 'civil_affairs',
      });
      countyOfficer.set(c.code, officer);
      tick();
      await all(c.townships, async (t) => {
        townshipOfficer.set(
          t,
          await createUser(officer, `to${t}`, {
            name: `乡镇民政办${t}`,
            role: 'township_officer',
            regions: [t],
            adminRegion: t,
          }),
        );
        tick();
      });
      await all(DEPARTMENTS, async (d) => {
        clerk.set(
          `${c.code}:${d}`,
          await createUser(officer, `${d.slice(0, 3)}${c.code}`, {
            name: `${c.name}${{ civil_affairs: '民政局', education: '教育局', public_security: '公安局' }[d]}`,
            role: 'department_clerk',
            regions: [c.code],
            adminRegion: c.code,
            department: d,
          }),
        );
        tick();
      });
    });
  });

  // ---- department lists, cross-checking, register ---------------------------------------------
  let reviewed = 0;
  const applyLock = createPool(1);
  const registeredByRun = new Set<string>();
  const listTownships = new Set(
    plan.counties.map((c) => c.townships[0]!).slice(0, options.listTownships ?? plan.counties.length),
  );
  const viaLists = city.lists.filter((l) => listTownships.has(l.township));
  const viaHttp = city.children.filter((c) => !listTownships.has(c.township));
  await phase('registration 入户登记', viaHttp.length, async (tick) => {
    await all(viaHttp, async (child) => {
      const officer = townshipOfficer.get(child.township)!;
      // A 504 may have registered the child all the same: the retry finds the ID number claimed
      // (409 child_already_registered names the child).
      for (let attempt = 0; ; attempt++) {
        const res = await officer.request('POST', '/api/registry/children', registrationOf(child));
        if (res.status === 201 || res.status === 200) child.childId = res.body.id;
        else if (res.status === 409 && res.body?.code === 'child_already_registered') child.childId = res.body.childId;
        else if ((res.status === 504 || res.status === 502) && attempt < 5) {
          await new Promise((r) => setTimeout(r, 2000));
          continue;
        } else throw new HttpError('POST', '/api/registry/children', res.status, res.body);
        break;
      }
      tick();
    });
  });
  // A few townships at a time: every poll of an upload job is a lookup in the registry's database.
  const townshipPool = createPool(3);
  await phase('lists 部门名单', viaLists.length * 4, async (tick) => {
    await all(viaLists, (lists) =>
      townshipPool(async () => {
        for (const dept of DEPARTMENTS) {
          const rows = lists.rows[dept];
          if (rows.length === 0) {
            tick();
            continue;
          }
          const xlsx = dept === 'education';
          const file = xlsx ? await xlsxOf(rows) : csvOf(rows);
          const uploader = clerk.get(`${lists.county}:${dept}`)!;
          const job = await uploader.put(
            `/api/registry/submissions/${lists.township}/${dept}?filename=${encodeURIComponent(`${dept}.${xlsx ? 'xlsx' : 'csv'}`)}`,
            file,
            xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
          );
          const done = await until(
            async () => {
              const j = await uploader.get(`/api/registry/submissions/${job.id}`);
              return j.status !== 'processing' && j.status !== 'queued' && j;
            },
            `the ${dept} list of ${lists.township}`,
            600_000,
            1500,
          );
          if (done.status !== 'stored')
            throw new Error(
              `the ${dept} list of ${lists.township} was ${done.status}: ${JSON.stringify(done.issues).slice(0, 800)}`,
            );
          tick();
        }
        const officer = townshipOfficer.get(lists.township)!;
        const run = await officer.post('/api/registry/reconciliations', { township: lists.township });
        const keyOf = (m: { source: Department; rowId: string }) => lists.keys[m.source][Number(m.rowId) - 2];
        for (const group of run.groups as {
          groupId: string;
          decision: string;
          members: { source: Department; rowId: string }[];
        }[]) {
          if (group.decision !== 'pending') continue;
          const keys = new Set(group.members.map(keyOf));
          await officer.post(`/api/registry/reconciliations/${run.id}/groups/${encodeURIComponent(group.groupId)}`, {
            decision: keys.size === 1 ? 'accepted' : 'rejected',
          });
          reviewed++;
        }
        // Applying registers each child in turn and can outlast the gateway's timeout: one township at
        // a time, and on 504 the reconciliation is read until the registry has finished it.
        await applyLock(async () => {
          const res = await officer.request('POST', `/api/registry/reconciliations/${run.id}/apply`, {});
          if (res.status === 504)
            await until(
              async () => (await officer.get(`/api/registry/reconciliations/${run.id}`)).status === 'applied',
              `applying the lists of ${lists.township}`,
              1_800_000,
              2000,
            );
          else if (res.status !== 200) throw new HttpError('POST', 'apply', res.status, res.body);
        });
        const applied = await officer.get(`/api/registry/reconciliations/${run.id}`);
        for (const group of applied.groups as { applied?: { childId?: string } }[])
          if (group.applied?.childId) registeredByRun.add(group.applied.childId);
        tick();
      }),
    );
  });

  // Which registered child is which: the register read back per township (names may carry a
  // clerk's typo, so birth date, sex and village decide); a child registered twice from lists that
  // could not be matched is exited, as an officer does when the ledger shows a double.
  let duplicates = 0;
  await phase('register check 台账核对', viaLists.length, async (tick) => {
    await all(viaLists, async (lists) => {
      const officer = countyOfficer.get(lists.county)!;
      const registered: {
        id: string;
        name: string;
        sex: string;
        birthDate: string;
        regionCode: string;
        categories: string[];
      }[] = [];
      for (let page = 1; ; page++) {
        const res = await officer.get(`/api/registry/children?region=${lists.township}&pageSize=200&page=${page}`);
        registered.push(...res.items);
        if (res.items.length < 200) break;
      }
      // This run's registrations first: they are the ones the truth is mapped to.
      registered.sort((a, b) => Number(!registeredByRun.has(a.id)) - Number(!registeredByRun.has(b.id)));
      const truth = city.children.filter((c) => c.township === lists.township);
      const claimed = new Set<string>();
      const extra: string[] = [];
      const bySig = new Map<string, TrueChild[]>();
      for (const c of truth) {
        const sig = `${c.birthDate}|${c.sex}|${c.village}`;
        bySig.set(sig, [...(bySig.get(sig) ?? []), c]);
      }
      for (const r of registered) {
        const candidates = (bySig.get(`${r.birthDate}|${r.sex}|${r.regionCode}`) ?? []).filter((c) => !c.childId);
        const match =
          candidates.find((c) => c.name === r.name) ?? (candidates.length === 1 ? candidates[0] : undefined);
        if (match && !claimed.has(r.id)) {
          match.childId = r.id;
          claimed.add(r.id);
        } else extra.push(r.id);
      }
      // Only children this run registered: a platform may hold other children of the same township.
      for (const id of extra.filter((x) => registeredByRun.has(x))) {
        await officer.post(`/api/registry/children/${id}/exit`, { reason: 'other', exitedOn: today });
        duplicates++;
      }
      tick();
    });
  });
  const missing = city.children.filter((c) => !c.childId);
  if (missing.length > 0)
    throw new Error(
      `${missing.length} children of the lists are not on the register after applying (e.g. key ${missing[0]!.key})`,
    );

  // ---- cases ---------------------------------------------------------------------------------
  const ofKind = (county: string, kind: string) => city.children.filter((c) => c.county === county && c.kind === kind);
  const caseWork: { child: TrueChild; type: string; dept: Department; resolution?: unknown }[] = [];
  for (const c of plan.counties) {
    for (const child of ofKind(c.code, 'unsupervised'))
      caseWork.push({
        child,
        type: 'guardian_assignment',
        dept: 'civil_affairs',
        resolution: {
          guardian: {
            kind: 'grandparent',
            name: personName(random, 'female'),
            relation: 'paternal_grandmother',
            capacity: 'capable',
          },
        },
      });
    for (const child of ofKind(c.code, 'dropout'))
      caseWork.push({
        child,
        type: 'return_to_school',
        dept: 'education',
        resolution: { schooling: { status: 'returned', school: `${child.township.slice(-3)}中学` } },
      });
    for (const child of ofKind(c.code, 'no_hukou'))
      caseWork.push({
        child,
        type: 'hukou_registration',
        dept: 'public_security',
        resolution: { hukou: { kind: 'rural' } },
      });
    const plain = random.shuffle(ofKind(c.code, 'left_behind'));
    for (const child of plain.slice(0, c.cases.parent_education))
      caseWork.push({ child, type: 'parent_education', dept: 'civil_affairs' });
  }
  await phase('cases 个案', caseWork.length, async (tick) => {
    await all(caseWork, async (w) => {
      const opened = await townshipOfficer.get(w.child.township)!.post('/api/registry/cases', {
        childId: w.child.childId,
        caseType: w.type,
        ownerDepartment: w.dept,
        note: '入户走访核实后立案',
      });
      created.add(opened.id);
      const worker = clerk.get(`${w.child.county}:${w.dept}`)!;
      await worker.post(`/api/registry/cases/${opened.id}/resolve`, {
        note: '已办结',
        ...(w.resolution ? { resolution: w.resolution } : {}),
      });
      tick();
    });
  });

  // ---- mandatory reports ---------------------------------------------------------------------
  const reportWork: { county: string; child?: TrueChild; township: string }[] = [];
  for (const c of plan.counties) {
    const plainKids = ofKind(c.code, 'left_behind');
    const plain = plainKids.slice(plainKids.length - c.cases.rights_protection);
    for (const child of plain) reportWork.push({ county: c.code, child, township: child.township });
    for (let i = 0; i < c.otherReports; i++) reportWork.push({ county: c.code, township: random.pick(c.townships) });
  }
  await phase('mandatory reports 强制报告', reportWork.length, async (tick) => {
    await all(reportWork, async (w) => {
      const officer = townshipOfficer.get(w.township)!;
      const report = await officer.post('/api/registry/reports', {
        regionCode: w.child?.village ?? w.township,
        reporterKind: random.pick(['school', 'village_committee', 'police']),
        reporterOrganisation: `${w.township.slice(-3)}村民委员会`,
        narrative: '发现儿童疑似受到侵害，依法报告。',
        ...(w.child ? { childName: w.child.name } : {}),
      });
      created.add(report.id);
      await officer.post(`/api/registry/reports/${report.id}/acknowledge`);
      if (w.child) {
        const linked = await officer.post(`/api/registry/reports/${report.id}/link`, {
          childId: w.child.childId,
          openCase: { caseType: 'rights_protection', ownerDepartment: 'public_security', note: '转公安机关调查处理' },
        });
        created.add(linked.case.id);
        await clerk.get(`${w.county}:public_security`)!.post(`/api/registry/cases/${linked.case.id}/resolve`, {
          note: '依法处置完毕',
        });
      } else {
        await officer.post(`/api/registry/reports/${report.id}/dismiss`, { reason: 'unfounded', note: '经核实不属实' });
      }
      tick();
    });
  });

  // ---- homes ---------------------------------------------------------------------------------
  interface Home {
    id: string;
    county: string;
    township: string;
    manager: Session;
    children: TrueChild[];
  }
  const homes: Home[] = [];
  const totalHomes = plan.counties.reduce((a, c) => a + c.homes, 0);
  await phase('homes 留守儿童之家', totalHomes, async (tick) => {
    await all(plan.counties, async (c) => {
      const officer = countyOfficer.get(c.code)!;
      for (let i = 0; i < c.homes; i++) {
        const township = c.townships[i % c.townships.length]!;
        const village = city.children.find((x) => x.township === township)?.village ?? `${township}201`;
        const kind = c.homeKinds[i % c.homeKinds.length]!;
        const school = `${township.slice(-3)}${i + 1}号学校`;
        const home = await officer.post('/api/facilities/facilities', {
          code: `H${c.code}-${tag}-${i + 1}`,
          name: `${c.name}${kind === 'school_based' ? school : '村'}留守儿童之家`,
          kind,
          ...(kind === 'school_based' ? { hostSchool: school } : { hostVillage: village }),
          ...(i % 5 === 0 ? { partner: '县妇联' } : {}),
          regionCode: village,
          openedOn: addDays(today, -30),
          equipment: [
            { kind: 'counselling_room', quantity: 1 },
            { kind: 'video_chat', quantity: 2 },
            { kind: 'computers', quantity: 4 },
          ],
          capacity: plan.childrenPerHome * 2,
        });
        const manager = await createUser(townshipOfficer.get(township)!, `fm${c.code}${i}`, {
          name: '之家管理员',
          role: 'facility_manager',
          facilities: [home.id],
          regions: [township],
          adminRegion: township,
        });
        homes.push({ id: home.id, county: c.code, township, manager, children: [] });
        created.add(home.id);
        await officer.post(`/api/facilities/facilities/${home.id}/evaluations`, {
          period: String(year),
          safety: 80 + random.int(0, 20),
          environment: 75 + random.int(0, 25),
        });
        tick();
      }
    });
  });

  // Children of the home's county, those with a case first (they need the home most).
  const enrolWork: { home: Home; child: TrueChild }[] = [];
  for (const c of plan.counties) {
    const countyHomes = homes.filter((h) => h.county === c.code);
    if (countyHomes.length === 0) continue;
    const first = ['unsupervised', 'dropout', 'no_hukou'];
    const pool = city.children
      .filter((x) => x.county === c.code)
      .sort((a, b) => Number(!first.includes(a.kind)) - Number(!first.includes(b.kind)) || a.key - b.key);
    let k = 0;
    for (const home of countyHomes)
      for (let n = 0; n < plan.childrenPerHome && k < pool.length; n++) {
        const child = pool[k++]!;
        home.children.push(child);
        enrolWork.push({ home, child });
      }
  }
  await phase('enrolment 入园', enrolWork.length, async (tick) => {
    await all(enrolWork, async ({ home, child }) => {
      let lastRefusal = '';
      // The facilities service learns of the child from the register's events: 422 until then.
      await until(
        async () => {
          const res = await home.manager.request('POST', `/api/facilities/facilities/${home.id}/children`, {
            childId: child.childId,
            enrolledOn: addDays(today, -1),
          });
          if (res.status === 201 || res.status === 200 || res.status === 409) return true;
          if (res.status === 422 || res.status === 404) {
            lastRefusal = JSON.stringify(res.body).slice(0, 400);
            return false;
          }
          throw new HttpError('POST', `/facilities/${home.id}/children`, res.status, res.body);
        },
        () => `facilities to know child ${child.childId} (last answer ${lastRefusal})`,
        300_000,
        1000,
      );
      tick();
    });
  });

  const kinds = [
    { kind: 'arts_performance', title: '“童心飞扬”文艺汇演' },
    { kind: 'birthday_party', title: '集体生日PARTY' },
    { kind: 'talent_class', subject: 'go', title: '围棋才艺培训班' },
    { kind: 'talent_class', subject: 'calligraphy', title: '硬笔书法培训班' },
    { kind: 'family_video_call', title: '亲情视频聊天' },
  ];
  await phase('activities 活动', homes.length * plan.activitiesPerHome, async (tick) => {
    await all(homes, async (home) => {
      for (let i = 0; i < plan.activitiesPerHome; i++) {
        const a = kinds[i % kinds.length]!;
        // Earlier today, an hour apart: never in the future, after the enrolment (yesterday).
        const start = new Date(Date.now() - (plan.activitiesPerHome - i + 1) * 3_600_000);
        const end = new Date(start.getTime() + 50 * 60_000);
        const attendees = home.children.filter((_, j) => i === 0 || j % 2 === i % 2).map((c) => c.childId!);
        await home.manager.post(`/api/facilities/facilities/${home.id}/activities`, {
          activityId: `act-${tag}-${home.id}-${i}`.slice(0, 64),
          ...a,
          startsAt: start.toISOString(),
          endsAt: end.toISOString(),
          place: '活动室',
          attendeeChildIds: attendees,
          staff: ['张老师'],
        });
        tick();
      }
      for (const child of home.children.slice(0, 3))
        await home.manager.put(`/api/facilities/facilities/${home.id}/children/${child.childId}/file`, {
          interests: ['画画', '下棋'],
          strengths: ['乐于助人'],
          needs: ['学业辅导'],
        });
    });
  });

  // ---- donations -----------------------------------------------------------------------------
  const charities = new Map<string, Session>();
  let fundId = '';
  await phase('donations 捐赠', 3 + plan.books.length + homes.length, async (tick) => {
    const province = `prov-${tag}`;
    await admin.post('/api/donations/donors', {
      donorId: province,
      kind: 'organisation',
      organisationType: 'government',
      displayName: profile.provincialFund.donorName,
    });
    for (const b of plan.books) {
      await admin.post('/api/donations/donors', {
        donorId: `${b.donorId}-${tag}`,
        kind: 'organisation',
        organisationType: b.organisationType,
        displayName: b.donorName,
      });
      charities.set(
        b.donorId,
        await createUser(admin, `ch-${b.donorId}`, {
          name: b.donorName,
          role: 'charity',
          donorOrgs: [`${b.donorId}-${tag}`],
          adminRegion: plan.city.code,
        }),
      );
    }
    const schoolIds = new Map<string, string>();
    for (const s of plan.schools) {
      const made = await admin.post('/api/donations/schools', {
        schoolId: `${s.id}-${tag}`,
        name: s.name,
        regionCode: s.regionCode,
      });
      schoolIds.set(s.id, made.id ?? made.schoolId ?? `${s.id}-${tag}`);
    }
    tick();
    // Provincial funds, received by the city and shared among the homes.
    const fund = await admin.post('/api/donations/donations', {
      donorId: province,
      kind: 'money',
      purpose: 'restricted',
      restrictedTo: '农村留守儿童之家建设与困境儿童助学',
      receivedOn: today,
      amountYuan: yuanText(plan.provincialFundFen),
    });
    created.add(fund.id);
    fundId = fund.id;
    tick();
    // The bursaries (paid later, once the children are known) are kept back from the homes' shares.
    const forHomes = plan.provincialFundFen - plan.bursary.children * plan.bursary.amountFen;
    const shares = homes.length ? splitEven(forHomes, homes.length) : [];
    // The city shares the fund among the homes as an officer would: one batch of allocations, one
    // transfer for all of them (both all or none), then each home's manager confirms its own.
    const funded = homes.flatMap((home, i) => (shares[i] ? [{ home, share: shares[i] }] : []));
    const allocations: Json[] = [];
    for (const part of chunks(funded, 500)) {
      const allocated = await until(
        async () => {
          const res = await admin.request('POST', `/api/donations/donations/${fund.id}/allocations/batch`, {
            allocations: part.map(({ home, share }) => ({
              recipientKind: 'facility',
              recipientId: home.id,
              amountYuan: yuanText(share),
            })),
          });
          if (res.status === 201 || res.status === 200) return res.body;
          if (res.body?.code === 'recipient_unknown') return false; // a home not known to donations yet
          throw new HttpError('POST', 'allocations', res.status, res.body);
        },
        () => `donations to know the ${part.length} homes`,
        120_000,
        1000,
      );
      allocations.push(...allocated.allocations);
    }
    const shipments: Json[] = [];
    for (const part of chunks(allocations, 500)) {
      const shipped = await admin.post(`/api/donations/donations/${fund.id}/shipments`, {
        dispatchedOn: today,
        carrier: '湖南省财政厅国库集中支付',
        items: part.map((a) => ({ allocationId: a.allocationId })),
      });
      shipments.push(...shipped.shipments);
    }
    await all(funded, async ({ home }, i) => {
      await home.manager.post(`/api/donations/donations/${fund.id}/acknowledgements`, {
        acknowledgedOn: today,
        items: [{ shipmentId: shipments[i].shipmentId }],
      });
      tick();
    });
    for (let i = funded.length; i < homes.length; i++) tick();
    tick();
    for (const b of plan.books) {
      const charity = charities.get(b.donorId)!;
      const donation = await charity.post('/api/donations/donations', {
        donorId: `${b.donorId}-${tag}`,
        kind: 'books',
        purpose: 'restricted',
        restrictedTo: '乡村学校爱心图书室',
        receivedOn: today,
        lines: [
          {
            type: 'book',
            title: '儿童文学精选',
            category: '儿童文学',
            ageBand: '7-12',
            quantity: b.quantity,
            unitValueYuan: yuanText(b.unitValueFen),
          },
        ],
      });
      created.add(donation.id);
      const lineId = donation.lines?.[0]?.lineId ?? 'line-1';
      const quantities = splitEven(b.quantity, b.schools.length);
      for (const [i, s] of b.schools.entries()) {
        const allocation = await charity.post(`/api/donations/donations/${donation.id}/allocations`, {
          recipientKind: 'school',
          recipientId: schoolIds.get(s),
          lines: [{ lineId, quantity: quantities[i] }],
        });
        const allocationId = allocation.allocationId ?? allocation.allocations?.at(-1)?.allocationId;
        const shipped = await charity.post(`/api/donations/donations/${donation.id}/shipments`, {
          dispatchedOn: today,
          carrier: '中国邮政',
          items: [{ allocationId }],
        });
        const shipmentId = shipped.shipmentId ?? shipped.shipments?.at(-1)?.shipmentId;
        await charity.post(`/api/donations/donations/${donation.id}/acknowledgements`, {
          acknowledgedOn: today,
          note: '已清点入库',
          items: [{ shipmentId }],
        });
        const school = plan.schools.find((x) => x.id === s);
        if (school?.plaque)
          await charity.post('/api/donations/plaques', {
            recipientKind: 'school',
            recipientId: schoolIds.get(s),
            name: school.plaque,
            donorId: `${b.donorId}-${tag}`,
            donationId: donation.id,
            installedOn: today,
          });
      }
      tick();
    }
  });

  // ---- volunteers and the camp ---------------------------------------------------------------
  let timelineChild: ScenarioResult['timelineChild'];
  let campChildren: TrueChild[] = [];
  await phase('volunteers 志愿服务', plan.camp.volunteers + plan.camp.participants + 2, async (tick) => {
    const orgId = `yl-${tag}`;
    await admin.post('/api/volunteers/organisations', {
      organisationId: orgId,
      kind: 'youth_league',
      name: plan.camp.organisation,
      regionCode: plan.city.code,
    });
    const coordinator = await createUser(admin, 'vc-youth', {
      name: plan.camp.organisation,
      role: 'volunteer_coordinator',
      volunteerOrgs: [orgId],
      adminRegion: plan.city.code,
    });
    tick();
    const volunteerIds: string[] = [];
    for (let i = 0; i < plan.camp.volunteers; i++) {
      const sex = random.chance(0.6) ? 'female' : 'male';
      const v = await coordinator.post('/api/volunteers/volunteers', {
        organisationIds: [orgId],
        name: personName(random, sex),
        displayName: `${sex === 'female' ? '李' : '王'}老师`,
        phone: mobile(random),
        skills: [random.pick(['art', 'music', 'sport', 'tutoring', 'go', 'calligraphy'])],
        availability: { periods: ['summer_holiday', 'weekends'] },
      });
      const id = v.id ?? v.volunteerId;
      await coordinator.put(`/api/volunteers/volunteers/${id}/clearance`, {
        documentType: 'no_criminal_record',
        number: `YYGA${year}${String(100000 + i)}`,
        issuedOn: addDays(today, -60),
        expiresOn: addDays(today, 300),
      });
      await coordinator.put(`/api/volunteers/volunteers/${id}/training`, {
        completedOn: addDays(today, -30),
        provider: plan.camp.organisation,
      });
      volunteerIds.push(id);
      tick();
    }
    if (plan.camp.participants === 0 || homes.length === 0) return;
    // Participants: children of the homes, those with a case first; the venue is the first one's home.
    const candidates = homes
      .flatMap((h) => h.children.map((child) => ({ h, child })))
      .filter(
        ({ child }) => child.age >= 6 && ['unsupervised', 'dropout', 'left_behind', 'no_hukou'].includes(child.kind),
      )
      .sort((a, b) => Number(a.child.kind !== 'unsupervised') - Number(b.child.kind !== 'unsupervised'));
    const chosen = candidates.slice(0, plan.camp.participants);
    if (chosen.length < plan.camp.participants)
      throw new Error('not enough enrolled left-behind children for the camp');
    const venue = chosen[0]!.h;
    // The camp's dates from the platform's day now (Beijing), not the day the run began: a full-size
    // run takes over an hour, and one that passed midnight in Beijing found registration closed.
    const campDay = beijingDate();
    const event = await until(
      async () => {
        const res = await coordinator.request('POST', '/api/volunteers/events', {
          organisationId: orgId,
          kind: 'summer_camp',
          title: plan.camp.title,
          startsOn: campDay,
          endsOn: addDays(campDay, 4),
          venue: { kind: 'home', facilityId: venue.id },
          capacity: plan.camp.participants,
          roles: [{ name: '生活老师', slots: volunteerIds.length, requiredSkills: [] }],
          eligibility: {
            regionPrefixes: plan.counties.map((c) => c.code),
            categories: ['left_behind'],
            minAge: 6,
            maxAge: 15,
          },
          registration: { opensOn: addDays(campDay, -10), closesOn: campDay },
          involvesChildren: true,
        });
        if (res.status === 201 || res.status === 200) return res.body;
        if (res.status === 422 || res.status === 404) return false; // the home is not known yet
        throw new HttpError('POST', '/events', res.status, res.body);
      },
      'volunteers to know the venue',
      120_000,
      1000,
    );
    const eventId = event.id ?? event.eventId;
    created.add(eventId);
    tick();
    for (const { child } of chosen) {
      await until(
        async () => {
          const res = await coordinator.request('POST', `/api/volunteers/events/${eventId}/children`, {
            childId: child.childId,
          });
          if (res.status === 201 || res.status === 200) return true;
          if (res.status === 404 || res.status === 422) return false;
          throw new HttpError('POST', 'event children', res.status, res.body);
        },
        `volunteers to know child ${child.childId}`,
        120_000,
        1000,
      );
      tick();
    }
    for (const id of volunteerIds)
      await coordinator.post(`/api/volunteers/events/${eventId}/volunteers`, { volunteerId: id, roleId: 'role-1' });
    await coordinator.post(`/api/volunteers/events/${eventId}/attendance`, {
      on: campDay,
      childIds: chosen.map((c) => c.child.childId),
      volunteerIds,
    });
    await coordinator.post(`/api/volunteers/events/${eventId}/hours`, {
      entries: volunteerIds.map((volunteerId) => ({ volunteerId, minutes: 480 })),
    });
    timelineChild = { childId: chosen[0]!.child.childId!, county: chosen[0]!.child.county };
    campChildren = chosen.map((c) => c.child);
  });

  // ---- bursaries -----------------------------------------------------------------------------
  // 困境儿童助学金 out of the provincial fund: the timeline child first, then other children of the
  // homes, each allocated, transferred and acknowledged by the officer of the child's county.
  const bursaryChildren = [
    ...campChildren,
    ...homes.flatMap((h) => h.children).filter((c) => !campChildren.includes(c)),
  ]
    .filter((c) => c.childId)
    .slice(0, plan.bursary.children);
  await phase('bursaries 助学金', bursaryChildren.length, async (tick) => {
    // Each county officer pays its children's bursaries in one batch (all or none): a child no
    // longer on the register is left out of the batch and gets none.
    for (const [county, children] of groupBy(bursaryChildren, (c) => c.county)) {
      const officer = countyOfficer.get(county)!;
      for (const part of chunks(children, 500)) {
        let batch = part;
        const allocated = await until(
          async () => {
            const res = await officer.request('POST', `/api/donations/donations/${fundId}/allocations/batch`, {
              allocations: batch.map((child) => ({
                recipientKind: 'child',
                recipientId: child.childId,
                amountYuan: yuanText(plan.bursary.amountFen),
              })),
            });
            if (res.status === 201 || res.status === 200) return res.body;
            if (res.body?.code === 'recipient_unknown') return false; // a child not known to donations yet
            if (res.body?.code === 'recipient_not_active') {
              const gone = batch[res.body.index];
              batch = batch.filter((c) => c !== gone);
              tick();
              if (batch.length === 0) return { allocations: [] };
              return false;
            }
            throw new HttpError('POST', 'bursary allocations', res.status, res.body);
          },
          () => `donations to know the children of ${county}`,
          120_000,
          1000,
        );
        if (allocated.allocations.length === 0) continue;
        const shipped = await officer.post(`/api/donations/donations/${fundId}/shipments`, {
          dispatchedOn: today,
          items: allocated.allocations.map((a: Json) => ({ allocationId: a.allocationId })),
        });
        await officer.post(`/api/donations/donations/${fundId}/acknowledgements`, {
          acknowledgedOn: today,
          note: '监护人已确认到账',
          items: shipped.shipments.map((x: Json) => ({ shipmentId: x.shipmentId })),
        });
        for (let i = 0; i < batch.length; i++) tick();
      }
    }
  });

  // ---- the report ----------------------------------------------------------------------------
  const url = `/api/reporting/reports/annual?region=${plan.city.code}&year=${year}`;
  let report: Json;
  let comparisons: Comparison[] = [];
  const compare = (figures: Record<string, unknown>) => {
    const now = reportFigures(figures);
    return Object.entries(expected).map(([figure, want]) => {
      const actual = (now[figure] ?? 0) - (before[figure] ?? 0);
      return { figure, expected: want, actual, ok: actual === want };
    });
  };
  await phase('report 年度报告', 1, async (tick) => {
    const deadline = Date.now() + (options.settleTimeoutMs ?? 300_000);
    for (;;) {
      report = await admin.get(url);
      comparisons = compare(report.figures);
      if (comparisons.every((c) => c.ok) || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    tick();
  });

  for (const child of city.children) if (child.childId) created.add(child.childId);
  const outsiderCounty = plan.counties.find((c) => c.code !== timelineChild?.county);
  return {
    plan,
    year,
    expected,
    comparisons,
    ok: comparisons.every((c) => c.ok),
    report,
    ...(timelineChild ? { timelineChild } : {}),
    ...(outsiderCounty ? { outsider: accounts[`co${outsiderCounty.code}`]! } : {}),
    accounts,
    created,
    stats: { ...stats, ms: Date.now() - started, phases, ...{ duplicates, reviewed } },
  };
}

function splitEven(total: number, parts: number): number[] {
  const base = Math.floor(total / parts);
  return Array.from({ length: parts }, (_, i) => base + (i < total - base * parts ? 1 : 0));
}
