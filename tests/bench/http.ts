import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import http from 'node:http';
import net from 'node:net';

export interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RequestSpec {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The client gives up after this long (default 30 s). */
  timeoutMs?: number;
}

/** A keep-alive HTTP client to one loopback server: at most `connections` sockets, reused between requests. */
export class Client {
  private agent: http.Agent;
  constructor(
    readonly base: URL,
    connections: number,
  ) {
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) throw new Error(`benchmarks only talk to loopback, not ${base.hostname}`);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  request(spec: RequestSpec): Promise<HttpAnswer> {
    const payload = spec.body === undefined ? undefined : JSON.stringify(spec.body);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          method: spec.method,
          path: spec.path,
          agent: this.agent,
          headers: { ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}), ...spec.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.setTimeout(spec.timeoutMs ?? 30_000, () => req.destroy(new Error(`timeout: ${spec.method} ${spec.path}`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close() {
    this.agent.destroy();
  }
}

export interface LoadResult {
  requests: number;
  ok: number;
  failed: number;
  seconds: number;
  per_second: number;
  p50_ms: number;
  p90_ms: number;
  p99_ms: number;
  max_ms: number;
  /** A few of the failures' statuses and bodies, to see what went wrong. */
  failures: string[];
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

/**
 * `concurrency` loops, each sending its next request as soon as the previous one answered (a closed loop, like 16
 * clicking clients), until `next` runs dry, `maxRequests` were sent or `maxSeconds` passed. Throughput counts
 * successful answers only; latencies are of every answer.
 */
export async function closedLoop(opts: {
  client: Client;
  concurrency: number;
  maxRequests: number;
  maxSeconds: number;
  next: (i: number) => RequestSpec | null;
  ok: (a: HttpAnswer) => boolean;
}): Promise<LoadResult> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const deadline = started + opts.maxSeconds * 1000;
  async function loop() {
    while (sent < opts.maxRequests && performance.now() < deadline) {
      const spec = opts.next(sent++);
      if (!spec) return;
      const t0 = performance.now();
      try {
        const answer = await opts.client.request(spec);
        latencies.push(performance.now() - t0);
        if (opts.ok(answer)) ok++;
        else {
          failed++;
          if (failures.length < 5) failures.push(`${answer.status} ${answer.body.slice(0, 300)}`);
        }
      } catch (err) {
        latencies.push(performance.now() - t0);
        failed++;
        if (failures.length < 5) failures.push(String(err));
      }
    }
  }
  await Promise.all(Array.from({ length: opts.concurrency }, loop));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    ok,
    failed,
    seconds: round(seconds, 2),
    per_second: round(ok / seconds),
    p50_ms: round(percentile(latencies, 50)),
    p90_ms: round(percentile(latencies, 90)),
    p99_ms: round(percentile(latencies, 99)),
    max_ms: round(latencies[latencies.length - 1] ?? NaN),
    failures,
  };
}

/** A free TCP port on loopback (asked of the kernel, then released for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export interface ChildServer {
  url: URL;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript server as a child process (node --import tsx, one process: its pid is the server's), so the
 * load generator never shares its event loop. Waits until `readyPath` answers 200; its output goes to `logFile`.
 */
/** The webhook secret the bench's API child is started with (bench w signs its events with it). */
export const BENCH_WEBHOOK_SECRET = 'milkrun-bench-webhook-secret';

/** The environment of the bench's API child (api/server.ts), for run.ts and profile.ts alike. */
export function benchServerEnv(databaseUrl: string, port: number): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    APP_SECRET: 'milkrun-bench-app-secret-of-32-characters-or-more',
    RAZORPAY_WEBHOOK_SECRET: BENCH_WEBHOOK_SECRET,
    // The requests are measured, not the background jobs: with no WhatsApp provider here the outbox worker would
    // fail every receipt w queues and put it back (a claim, an update and a warning each) on the same two cores.
    // Production may run its jobs in other processes the same way (README, MILKRUN_JOBS).
    MILKRUN_JOBS: '0',
    ...(process.env.DATABASE_POOL_MAX ? { DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX } : {}),
  };
}

export async function startChild(opts: {
  script: string;
  env: Record<string, string>;
  port: number;
  readyPath: string;
  logFile: string;
  timeoutMs?: number;
  /** Node's own flags before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** The folder to run it in (another checkout, to compare); default this process's. */
  cwd?: string;
}): Promise<ChildServer> {
  const log = createWriteStream(opts.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(process.execPath, [...(opts.nodeArgs ?? []), '--import', 'tsx', opts.script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: opts.cwd,
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = code ?? signal ?? 'exit';
      resolve();
    }),
  );
  const url = new URL(`http://127.0.0.1:${opts.port}`);
  const client = new Client(url, 1);
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  try {
    for (;;) {
      if (exited !== null) throw new Error(`${opts.script} exited (${exited}) before answering; see ${opts.logFile}`);
      try {
        const a = await client.request({ method: 'GET', path: opts.readyPath });
        if (a.status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${opts.script} did not answer ${opts.readyPath} in time; see ${opts.logFile}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    client.close();
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (exited === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => exited === null && child.kill('SIGKILL'), 10_000);
        await exit;
        clearTimeout(timer);
      }
      log.end();
    },
  };
}

/** Logs in through the API and returns the Cookie header of the session. */
export async function loginCookie(client: Client, email: string, password: string): Promise<string> {
  const a = await client.request({ method: 'POST', path: '/api/auth/login', body: { email, password } });
  if (a.status !== 200) throw new Error(`login as ${email} failed: ${a.status} ${a.body}`);
  const raw = a.headers['set-cookie'];
  const cookie = (Array.isArray(raw) ? raw : [raw ?? '']).map((c) => c.split(';')[0]).find((c) => c.startsWith('milkrun_session='));
  if (!cookie) throw new Error('login answered without a session cookie');
  return cookie;
}
