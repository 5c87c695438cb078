import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startChild } from '../bench/http.js';

/** The API entry point a deployment runs (one copy per process). */
export const API_ENTRY = 'api/server.ts';

export interface ApiProcess {
  url: URL;
  pid: number;
  /** Its output (kept in a temporary folder, named in failures). */
  logFile: string;
  /** fetch against this process, with a session cookie and a JSON body. */
  call(cookie: string | null, method: string, path: string, body?: unknown): Promise<Response>;
  /** Logs in on this process and returns the Cookie header value. */
  login(email: string, password: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The API server as a deployment runs it: a child process of its own on a free loopback port, on the given
 * PostgreSQL database (already migrated: it migrates again at start, which must be a no-op).
 */
export async function startApiProcess(databaseUrl: string, name: string): Promise<ApiProcess> {
  const port = await freePort();
  const logFile = join(mkdtempSync(join(tmpdir(), 'milkrun-api-')), `${name}.log`);
  const child = await startChild({
    script: API_ENTRY,
    env: { DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'test', LOG_LEVEL: 'warn' },
    port,
    readyPath: '/api/health',
    logFile,
  });
  const call: ApiProcess['call'] = (cookie, method, path, body) =>
    fetch(new URL(path, child.url), {
      method,
      headers: { 'x-requested-with': 'XMLHttpRequest', ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  return {
    url: child.url,
    pid: child.pid,
    logFile,
    call,
    login: async (email, password) => {
      const res = await call(null, 'POST', '/api/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login as ${email} on ${name} failed: ${res.status} ${await res.text()} (log: ${logFile})`);
      return res.headers.get('set-cookie')!.split(';')[0];
    },
    stop: child.stop,
  };
}
