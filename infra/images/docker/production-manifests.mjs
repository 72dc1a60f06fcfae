// Runs inside the image build, on `turbo prune <app> --docker`'s json/ tree, before `npm install`:
// keeps only what the app needs at run time.
//  - workspaces: only the app and the @tongxin/* packages it reaches through `dependencies`
//    (turbo prune also keeps the test-only ones, e.g. testkit, whose testcontainers would be installed);
//  - devDependencies dropped everywhere;
//  - tsx moved from the root's devDependencies to its dependencies: the services run TypeScript
//    through tsx (`node --import tsx src/main.ts`), exactly as they do outside containers.
// Usage: node production-manifests.mjs <app package name> [--remove-unused]
//   --remove-unused also deletes the folders of the workspaces the app does not need (sources stage).
import { readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const app = process.argv[2];
if (!app) throw new Error('usage: production-manifests.mjs <app package name>');
const read = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
const write = (dir, pkg) => writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);

const root = read('.');
const byName = new Map();
for (const dir of root.workspaces) if (existsSync(join(dir, 'package.json'))) byName.set(read(dir).name, dir);
if (!byName.has(app)) throw new Error(`${app} is not among the pruned workspaces: ${[...byName.keys()].join(', ')}`);

const keep = new Set();
const visit = (name) => {
  if (keep.has(name) || !byName.has(name)) return;
  keep.add(name);
  for (const dep of Object.keys(read(byName.get(name)).dependencies ?? {})) visit(dep);
};
visit(app);

const removeUnused = process.argv.includes('--remove-unused');
for (const [name, dir] of byName) {
  if (!keep.has(name)) {
    if (removeUnused) rmSync(dir, { recursive: true, force: true });
    continue;
  }
  const pkg = read(dir);
  delete pkg.devDependencies;
  write(dir, pkg);
}
const tsx = root.devDependencies?.tsx;
if (!tsx) throw new Error('the root package.json has no tsx devDependency to run the services with');
root.workspaces = [...keep].map((name) => byName.get(name));
root.dependencies = { ...root.dependencies, tsx };
delete root.devDependencies;
delete root.scripts;
write('.', root);
console.log(`production workspaces: ${root.workspaces.join(', ')}; tsx ${tsx}`);
