/**
 * The consumer side of `npm run contracts:check`: every `apps/<service>/consumes.ts` is loaded and a
 * breaking change NAMES the consumers it would break. Every edit is made in a temporary copy (of the
 * snapshots, the fixtures, a catalogue module, a consumer declaration), never in the real files.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const ROOT = join(PACKAGE_DIR, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = join(PACKAGE_DIR, 'scripts', 'check-compat.ts');
const src = (path: string) => pathToFileURL(join(PACKAGE_DIR, 'src', path)).href;

function runCheck(...args: string[]) {
  const result = spawnSync(process.execPath, [TSX, CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const temp = mkdtempSync(join(tmpdir(), 'tongxin-consumers-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

function copyOfRepo(name: string): { schemas: string; fixtures: string } {
  const schemas = join(temp, name, 'schemas');
  const fixtures = join(temp, name, 'fixtures');
  cpSync(join(PACKAGE_DIR, 'schemas'), schemas, { recursive: true });
  cpSync(join(PACKAGE_DIR, 'fixtures'), fixtures, { recursive: true });
  return { schemas, fixtures };
}

function editFixture(fixtures: string, key: string, name: string, edit: (body: Record<string, unknown>) => void) {
  const path = join(fixtures, key, name);
  const fixture = JSON.parse(readFileSync(path, 'utf8')) as { body: Record<string, unknown> };
  edit(fixture.body);
  writeFileSync(path, JSON.stringify(fixture));
}

/** A catalogue module: the real one with registry.child.registered@1's data schema replaced. */
function catalogWith(name: string, childRegisteredData: string): string {
  const path = join(temp, `${name}.ts`);
  writeFileSync(
    path,
    [
      `import { ALL_EVENTS as REAL } from '${src('catalog.ts')}';`,
      `import { ChildRegistered, ZChildRegisteredData } from '${src('registry/index.ts')}';`,
      `const edited = { ...ChildRegistered, data: ${childRegisteredData} };`,
      `export const ALL_EVENTS = REAL.map((event) => (event === ChildRegistered ? edited : event));`,
    ].join('\n'),
  );
  return path;
}

describe('contracts:check names the consumers a change would break', () => {
  it('when run against the repository, then it exits 0 and has read every consumer’s declaration', () => {
    const { status, output } = runCheck();
    expect(output).toContain('consumers checked (4)');
    for (const service of ['donations', 'facilities', 'reporting', 'volunteers'])
      expect(output).toMatch(new RegExp(`^  ${service}: \\d+ event versions$`, 'm'));
    expect(output).not.toContain('CONSUMERS THAT WOULD BREAK');
    expect(status).toBe(0);
  });

  it('when the producer removes childId from registry.child.registered v1, then it exits 1 naming all four consumers', () => {
    const catalog = catalogWith('no-child-id', 'ZChildRegisteredData.omit({ childId: true })');
    const { status, output } = runCheck('--catalog', catalog);
    // donations reads the register too (a bursary goes to one child: its own child projection).
    expect(output).toContain(
      'registry.child.registered v1: breaking for donations, facilities, reporting, volunteers: childId: property removed (it was required)',
    );
    expect(status).toBe(1);
  });

  it('when a golden fixture of an activity stops parsing, then it exits 1 naming reporting, its only consumer', () => {
    const { schemas, fixtures } = copyOfRepo('activity-fixture');
    editFixture(fixtures, 'facilities.activity.logged@1', 'calligraphy-class.json', (body) => {
      delete body.facilityId;
    });
    const { status, output } = runCheck('--schemas', schemas, '--fixtures', fixtures);
    expect(output).toMatch(
      /facilities\.activity\.logged v1: breaking for reporting: facilityId: fixture facilities\.activity\.logged@1\/calligraphy-class\.json no longer parses/,
    );
    expect(output).not.toMatch(/facilities\.activity\.logged v1: breaking for [^:]*(donations|volunteers|facilities)/);
    expect(status).toBe(1);
  });

  it('when a facility fixture’s status takes a value the schema does not know, then it names donations, reporting and volunteers', () => {
    const { schemas, fixtures } = copyOfRepo('facility-fixture');
    editFixture(fixtures, 'facilities.facility.opened@1', 'school-based-home.json', (body) => {
      body.status = 'renovating';
    });
    const { status, output } = runCheck('--schemas', schemas, '--fixtures', fixtures);
    expect(output).toContain('facilities.facility.opened v1: breaking for donations, reporting, volunteers: status:');
    expect(status).toBe(1);
  });

  it('when the producer adds an optional field (and a fixture carries an extra one), then it passes', () => {
    const { schemas, fixtures } = copyOfRepo('additive');
    editFixture(fixtures, 'registry.child.registered@1', 'unsupervised-girl-pingjiang.json', (body) => {
      body.nickname = '小涵';
    });
    const catalog = catalogWith(
      'additive-catalog',
      'ZChildRegisteredData.extend({ nickname: ZChildRegisteredData.shape.name.optional() })',
    );
    const { status, output } = runCheck('--catalog', catalog, '--schemas', schemas, '--fixtures', fixtures);
    expect(output).toContain('registry.child.registered@1  nickname: optional property added');
    expect(output).not.toContain('CONSUMERS THAT WOULD BREAK');
    expect(status).toBe(0);
  });

  it('when a consumer declares an event version no producer defines, then it exits 1 naming that consumer', () => {
    const apps = join(temp, 'apps');
    mkdirSync(join(apps, 'archive'), { recursive: true });
    writeFileSync(
      join(apps, 'archive', 'consumes.ts'),
      [
        `import { declareConsumer } from '${src('consumers.ts')}';`,
        `import { CHILD_TOPIC, ChildRegistered } from '${src('registry/index.ts')}';`,
        `export const CONSUMES = declareConsumer('archive', [`,
        `  { topic: CHILD_TOPIC, events: [ChildRegistered, { ...ChildRegistered, version: 2 }] },`,
        `]);`,
      ].join('\n'),
    );
    const { status, output } = runCheck('--apps', apps);
    expect(output).toContain(
      'registry.child.registered v2: breaking for archive: archive reads registry.child.registered@2, which no producer defines any more',
    );
    expect(output).toContain('consumers checked (1)');
    expect(status).toBe(1);
  });
});
