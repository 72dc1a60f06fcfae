import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE_DIR = fileURLToPath(new URL('../..', import.meta.url));
const ROOT = join(PACKAGE_DIR, '..', '..');
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const CLI = join(PACKAGE_DIR, 'scripts', 'check-compat.ts');

function runCheck(...args: string[]) {
  const result = spawnSync(process.execPath, [TSX, CLI, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const temp = mkdtempSync(join(tmpdir(), 'tongxin-contracts-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A copy of the committed snapshots and fixtures that the test may edit. */
function copyOfRepo(name: string): { schemas: string; fixtures: string } {
  const schemas = join(temp, name, 'schemas');
  const fixtures = join(temp, name, 'fixtures');
  cpSync(join(PACKAGE_DIR, 'schemas'), schemas, { recursive: true });
  cpSync(join(PACKAGE_DIR, 'fixtures'), fixtures, { recursive: true });
  return { schemas, fixtures };
}

describe('npm run contracts:check (the CLI)', () => {
  it('when run against the repository, then it exits 0', () => {
    const { status, output } = runCheck();
    expect(output).toContain('every golden fixture parses');
    expect(status).toBe(0);
  });

  it('when a definition drops a field of a fixture-covered event, then it exits 1 naming event, field and fixture', () => {
    // The "developer's edit": the real catalogue with registry.child.registered@1 losing birthDate.
    const catalog = join(temp, 'breaking-catalog.ts');
    const src = (path: string) => pathToFileURL(join(PACKAGE_DIR, 'src', path)).href;
    writeFileSync(
      catalog,
      [
        `import { ALL_EVENTS as REAL } from '${src('catalog.ts')}';`,
        `import { ChildRegistered, ZChildRegisteredData } from '${src('registry/index.ts')}';`,
        `const edited = { ...ChildRegistered, data: ZChildRegisteredData.omit({ birthDate: true }).extend({ sex: ZChildRegisteredData.shape.name }) };`,
        `export const ALL_EVENTS = REAL.map((event) => (event === ChildRegistered ? edited : event));`,
      ].join('\n'),
    );
    const { status, output } = runCheck('--catalog', catalog);
    expect(output).toContain('BREAKING');
    expect(output).toContain('registry.child.registered@1  birthDate: property removed (it was required)');
    expect(output).toContain('registry.child.registered@1  sex: enum removed');
    expect(status).toBe(1);
  });

  it('when a golden fixture no longer parses, then it exits 1 naming the fixture and field', () => {
    const { schemas, fixtures } = copyOfRepo('bad-fixture');
    const path = join(fixtures, 'registry.child.registered@1', 'unsupervised-girl-pingjiang.json');
    const fixture = JSON.parse(readFileSync(path, 'utf8')) as { body: Record<string, unknown> };
    fixture.body.sex = 'unknown';
    writeFileSync(path, JSON.stringify(fixture));
    const { status, output } = runCheck('--schemas', schemas, '--fixtures', fixtures);
    expect(output).toMatch(
      /registry\.child\.registered@1 {2}sex: fixture registry\.child\.registered@1\/unsupervised-girl-pingjiang\.json no longer parses/,
    );
    expect(status).toBe(1);
  });

  it('when a snapshot shows a field the definitions no longer have, then it exits 1', () => {
    const { schemas, fixtures } = copyOfRepo('removed-field');
    const path = join(schemas, 'facilities.activity.logged@1.json');
    const snapshot = JSON.parse(readFileSync(path, 'utf8')) as {
      properties: Record<string, unknown>;
      required: string[];
    };
    snapshot.properties.placeName = { type: 'string' };
    snapshot.required.push('placeName');
    writeFileSync(path, JSON.stringify(snapshot));
    const { status, output } = runCheck('--schemas', schemas, '--fixtures', fixtures);
    expect(output).toContain('facilities.activity.logged@1  placeName: property removed (it was required)');
    expect(status).toBe(1);
  });

  it('when the change is additive (an optional field), then it exits 0 and says how to update the snapshots', () => {
    const { schemas, fixtures } = copyOfRepo('additive');
    // A snapshot from before hostSchool existed: the current definition adds it, optional.
    const facilityPath = join(schemas, 'facilities.facility.opened@1.json');
    const facility = JSON.parse(readFileSync(facilityPath, 'utf8')) as { properties: Record<string, unknown> };
    delete facility.properties.hostSchool;
    writeFileSync(facilityPath, JSON.stringify(facility));
    const { status, output } = runCheck('--schemas', schemas, '--fixtures', fixtures);
    expect(output).toContain('ADDITIVE');
    expect(output).toContain('facilities.facility.opened@1  hostSchool: optional property added');
    expect(output).toContain('npm run contracts:generate');
    expect(status).toBe(0);
  });
});
