import postgres from 'postgres';
import { openDatabase } from '../db/client.js';
import { assertTestDatabaseName, TEMPLATE_DB } from './helpers/app.js';

/** On PostgreSQL, migrate a template database once; each test file then clones it (CREATE DATABASE ... TEMPLATE). */
export default async function setup() {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return;
  const base = assertTestDatabaseName(url);
  const admin = postgres(base.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${TEMPLATE_DB}" with (force)`);
  await admin.unsafe(`create database "${TEMPLATE_DB}"`);
  await admin.end();
  const templateUrl = new URL(base.toString());
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  const database = await openDatabase({ url: templateUrl.toString(), max: 1 });
  await database.migrate();
  await database.close();
}
