import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { raceDatabase, raceFiles } from './tests/race-database.js';

const include = ['tests/api/**/*.test.ts', 'tests/db/**/*.test.ts', 'tests/e2e/**/*.test.ts', 'tests/seeds/**/*.test.ts', 'tests/import/**/*.test.ts', 'tests/ops/**/*.test.ts'];

export default defineConfig(async (): Promise<ViteUserConfig> => {
  // On PGlite, the race suites run once more on PostgreSQL when one answers (see tests/race-database.ts).
  const race = await raceDatabase();
  const note =
    race.url !== null
      ? `Race suites: also on PostgreSQL (${race.url}), project "race-pg".`
      : `Race suites: on PGlite only (where a missing row lock still passes), not on PostgreSQL: ${race.reason}.`;
  if (!process.env.TEST_DATABASE_URL && !process.env.MILKRUN_RACE_NOTED) console.log(note);
  process.env.MILKRUN_RACE_NOTED = '1';
  return {
    test: {
      globalSetup: ['tests/globalSetup.ts'],
      testTimeout: 30_000,
      hookTimeout: 180_000,
      pool: 'forks',
      tags: [{ name: 'race', description: 'concurrent requests on one row; on PGlite they cannot interleave, so these also run on PostgreSQL' }],
      // Said again after the summary, where it is read.
      reporters: ['default', { onTestRunEnd: () => void (process.env.TEST_DATABASE_URL || console.log(`\n${note}`)) }],
      projects: [
        { extends: true, test: { name: process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite', include } },
        ...(race.url
          ? [
              {
                extends: true as const,
                // tagsFilter is typed as a root option, but a project's own is honoured (vitest 4.1).
                test: { name: 'race-pg', include: raceFiles(import.meta.dirname, ['tests/api', 'tests/db']), tagsFilter: ['race'], env: { TEST_DATABASE_URL: race.url } } as object,
              },
            ]
          : []),
      ],
    },
  };
});
