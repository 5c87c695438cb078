import postgres from 'postgres';
import { openDatabase } from '../db/client.js';
import { assertTestDatabaseName, templateDbName } from './helpers/app.js';

/** On PostgreSQL, migrate a template database once; each test file then clones it (CREATE DATABASE ... TEMPLATE). */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const base = assertTestDatabaseName(url);
  // One template per run (workers inherit the variable), so two runs at once do not drop each other's.
  process.env.MILKRUN_TEMPLATE_DB = `milkrun_template_${process.pid}_test`;
  const TEMPLATE_DB = templateDbName();
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
