import { expect, test } from 'vitest';
import { DEMO_APP_SECRET, DEMO_WEBHOOK_SECRET, readEnv } from '../../api/lib/env.js';

const APP_SECRET = 'a-production-secret-of-at-least-32-characters';
const RAZORPAY_WEBHOOK_SECRET = 'whsec-of-production';

test('session cookies are Secure by default in production, plain by default elsewhere, and COOKIE_SECURE overrides both', () => {
  expect(readEnv({ NODE_ENV: 'production', APP_SECRET, RAZORPAY_WEBHOOK_SECRET }).COOKIE_SECURE).toBe(true);
  expect(readEnv({}).COOKIE_SECURE).toBe(false);
  expect(readEnv({ NODE_ENV: 'test' }).COOKIE_SECURE).toBe(false);
  expect(readEnv({ NODE_ENV: 'production', APP_SECRET, RAZORPAY_WEBHOOK_SECRET, COOKIE_SECURE: 'false' }).COOKIE_SECURE).toBe(false);
  expect(readEnv({ NODE_ENV: 'development', COOKIE_SECURE: 'true' }).COOKIE_SECURE).toBe(true);
  expect(() => readEnv({ COOKIE_SECURE: 'yes' })).toThrow(/COOKIE_SECURE/);
});

test('the migration URL and the demo switch are read, and a bad one names its field', () => {
  const env = readEnv({ DATABASE_URL: 'postgres://app@db/milkrun', MIGRATION_DATABASE_URL: 'postgres://owner@db/milkrun', MILKRUN_DEMO: '1' });
  expect(env.MIGRATION_DATABASE_URL).toBe('postgres://owner@db/milkrun');
  expect(env.MILKRUN_DEMO).toBe(true);
  expect(readEnv({ MILKRUN_DEMO: '0' }).MILKRUN_DEMO).toBe(false);
  expect(readEnv({}).MILKRUN_DEMO).toBeUndefined();
  expect(() => readEnv({ MIGRATION_DATABASE_URL: 'owner' })).toThrow(/MIGRATION_DATABASE_URL/);
});

test('MILKRUN_JOBS: background jobs run in every process unless it is 0 or false; anything else names the field', () => {
  expect(readEnv({}).MILKRUN_JOBS).toBe(true);
  expect(readEnv({ MILKRUN_JOBS: '1' }).MILKRUN_JOBS).toBe(true);
  expect(readEnv({ MILKRUN_JOBS: 'true' }).MILKRUN_JOBS).toBe(true);
  expect(readEnv({ MILKRUN_JOBS: '0' }).MILKRUN_JOBS).toBe(false);
  expect(readEnv({ MILKRUN_JOBS: 'false' }).MILKRUN_JOBS).toBe(false);
  expect(() => readEnv({ MILKRUN_JOBS: 'off' })).toThrow(/MILKRUN_JOBS/);
});

test('APP_SECRET: required in production (the start refuses without it), at least 32 characters, a fixed demo value elsewhere', () => {
  expect(() => readEnv({ NODE_ENV: 'production' })).toThrow(/APP_SECRET: required in production/);
  expect(() => readEnv({ NODE_ENV: 'production', APP_SECRET: 'short' })).toThrow(/APP_SECRET: at least 32 characters/);
  expect(readEnv({ NODE_ENV: 'production', APP_SECRET, RAZORPAY_WEBHOOK_SECRET }).APP_SECRET).toBe(APP_SECRET);
  expect(readEnv({}).APP_SECRET).toBe(DEMO_APP_SECRET);
  expect(readEnv({ NODE_ENV: 'test', APP_SECRET }).APP_SECRET).toBe(APP_SECRET);
});

test('RAZORPAY_WEBHOOK_SECRET: required in production (the start refuses without it), the demo value elsewhere; the previous one optional', () => {
  expect(() => readEnv({ NODE_ENV: 'production', APP_SECRET })).toThrow(/RAZORPAY_WEBHOOK_SECRET: required in production/);
  expect(readEnv({ NODE_ENV: 'production', APP_SECRET, RAZORPAY_WEBHOOK_SECRET }).RAZORPAY_WEBHOOK_SECRET).toBe(RAZORPAY_WEBHOOK_SECRET);
  expect(readEnv({}).RAZORPAY_WEBHOOK_SECRET).toBe(DEMO_WEBHOOK_SECRET);
  expect(readEnv({}).RAZORPAY_WEBHOOK_SECRET_PREVIOUS).toBeUndefined();
  expect(readEnv({ RAZORPAY_WEBHOOK_SECRET_PREVIOUS: 'the-old-secret' }).RAZORPAY_WEBHOOK_SECRET_PREVIOUS).toBe('the-old-secret');
  expect(() => readEnv({ RAZORPAY_WEBHOOK_SECRET: 'short' })).toThrow(/RAZORPAY_WEBHOOK_SECRET: at least 8 characters/);
});

test('DATABASE_POOL_MAX: 10 connections per process unless set, 1 to 100; anything else names the field', () => {
  expect(readEnv({}).DATABASE_POOL_MAX).toBe(10);
  expect(readEnv({ DATABASE_POOL_MAX: '6' }).DATABASE_POOL_MAX).toBe(6);
  for (const bad of ['0', '101', '2.5', 'many']) expect(() => readEnv({ DATABASE_POOL_MAX: bad })).toThrow(/DATABASE_POOL_MAX/);
});
