import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { fromPglite, openDatabase, pgliteExtensions } from '../db/client.js';
import { assertTestDatabaseName } from './helpers/app.js';

/**
 * On PostgreSQL, migrate a template database once per project; each test file then clones it (CREATE DATABASE ...
 * TEMPLATE). The URL is the project's (the race-pg project sets its own) or the run's TEST_DATABASE_URL.
 */
export default async function setup(project: TestProject) {
  const url = project.config.env?.TEST_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) return pgliteTemplate(project);
  const base = assertTestDatabaseName(url);
  // One template per run and project, so two runs at once do not drop each other's; the workers learn its name.
  const TEMPLATE_DB = `milkrun_template_${process.pid}_${project.name.replace(/\W/g, '')}_test`;
  (project.config.env ??= {}).MILKRUN_TEMPLATE_DB = TEMPLATE_DB;
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${TEMPLATE_DB}" with (force)`);
  await admin.unsafe(`create database "${TEMPLATE_DB}"`);
  await admin.end();
  const templateUrl = new URL(base.toString());
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const database = await openDatabase({ url: templateUrl.toString(), max: 1 });
  await database.migrate();
  await database.close();
  return async () => {
    const again = postgres(base.toString(), { max: 1, onnotice: () => {} });
    await again.unsafe(`drop database if exists "${TEMPLATE_DB}" with (force)`);
    await again.end();
  };
}

/**
 * On PGlite, the same idea: migrate once, dump the data directory to a file, and each test file loads a copy of it
 * (tests/helpers/app.ts) instead of running initdb and every migration again (about 11 s of a worker's CPU a file).
 */
async function pgliteTemplate(project: TestProject) {
  const client = await PGlite.create('memory://', { extensions: pgliteExtensions });
  await fromPglite(client).migrate();
  const file = join(tmpdir(), `milkrun-pglite-template-${process.pid}-${project.name.replace(/\W/g, '')}.tar`);
  writeFileSync(file, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  await client.close();
  (project.config.env ??= {}).MILKRUN_PGLITE_TEMPLATE = file;
  return () => rmSync(file, { force: true });
}
