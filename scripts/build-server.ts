import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { transform } from 'esbuild';

// `npm run build` (after the admin): the server and the operator scripts as JavaScript in dist/, one file per source
// file (no bundle: PGlite finds its wasm beside its own module), so `node dist/api/server.js` runs without tsx.
// Fails when the built code imports a package that is not a production dependency (npm ci --omit=dev lacks it).
const OUT = 'dist';
const SOURCES = ['api', 'db', 'shared', 'seeds', 'scripts'];
/** Build-time only: not part of the production server. */
const SKIP = new Set(['scripts/build-server.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'migrations' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !SKIP.has(path) ? [path] : [];
  });
}

const started = Date.now();
rmSync(OUT, { recursive: true, force: true });
const files = SOURCES.flatMap(sourceFiles);
const imported = new Map<string, string>();
for (const file of files) {
  const { code } = await transform(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', platform: 'node', target: 'node20', sourcefile: file, sourcemap: 'inline' });
  const out = join(OUT, file.replace(/\.ts$/, '.js'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, code);
  // Static and dynamic imports of packages (not relative paths) that survived type erasure.
  for (const m of code.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec && !spec.startsWith('.')) imported.set(spec, file);
  }
}

// The migrations are read at runtime beside db/client.js.
cpSync('db/migrations', join(OUT, 'db/migrations'), { recursive: true });
// The PGlite migration worker's entry: the source one registers tsx (a devDependency); the built one needs none.
writeFileSync(join(OUT, 'db/migrate-worker.mjs'), "// Worker entry of the built server: the worker's code is already JavaScript.\nawait import('./migrate-worker.js');\n");

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
const builtins = new Set(builtinModules);
const notProduction = [...imported]
  .map(([spec, file]) => [spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0], file] as const)
  .filter(([name]) => !name.startsWith('node:') && !builtins.has(name) && !(name in pkg.dependencies));
if (notProduction.length) {
  console.error('The server imports packages that are not production dependencies (npm ci --omit=dev would lack them):');
  for (const [name, file] of notProduction) console.error(`  ${name}  (${file})`);
  process.exit(1);
}
if (!existsSync(join(OUT, 'api/server.js'))) throw new Error('dist/api/server.js was not written');
console.log(`Built the server: ${files.length} files into ${relative('.', OUT)}/ in ${((Date.now() - started) / 1000).toFixed(1)} s (run: npm run start:prod).`);
