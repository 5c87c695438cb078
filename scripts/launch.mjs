// The operator commands (npm run migrate, backup, restore, check, smoke, user:create) in both installs: in a
// checkout (tsx is there) the TypeScript source; in a production install (npm ci --omit=dev: no tsx) the JavaScript
// that `npm run build` wrote to dist/scripts. Usage: node scripts/launch.mjs NAME [ARGS...] (ARGS reach the script).
import { existsSync } from 'node:fs';

const [name] = process.argv.splice(2, 1);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name)) {
  console.error('Usage: node scripts/launch.mjs NAME [ARGS...]');
  process.exit(2);
}
let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch {
  tsx = undefined;
}
if (tsx) {
  tsx.register();
  await import(`./${name}.ts`);
} else {
  const built = new URL(`../dist/scripts/${name}.js`, import.meta.url);
  if (!existsSync(built)) {
    console.error(`dist/scripts/${name}.js is missing: run \`npm run build\` first (a production install runs the built scripts).`);
    process.exit(2);
  }
  await import(built.href);
}
