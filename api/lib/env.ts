import { z } from 'zod';

// The one place that reads process.env: a bad value fails start-up with the field's name.
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  // The API's connection: on PostgreSQL a login that is a member of milkrun_app (see README).
  DATABASE_URL: z.string().url().optional(),
  // The owner's connection, used only to apply migrations; defaults to DATABASE_URL.
  MIGRATION_DATABASE_URL: z.string().url().optional(),
  PGLITE_DIR: z.string().min(1).default('.data/pglite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Unset: secure (HTTPS-only) session cookies in production, plain ones elsewhere (http://localhost).
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  // Load the demo business into an empty database: by default only on the embedded PGlite.
  MILKRUN_DEMO: z
    .enum(['1', '0', 'true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === '1' || v === 'true')),
  // Run the background jobs (outbox sends, wallet expiry, settlement scan, exports, alerts...) in this process. Any
  // number of processes may run them (each claims its rows in the database); API processes behind a load balancer may
  // leave them to others with 0, as long as at least one process runs them.
  MILKRUN_JOBS: z
    .enum(['1', '0', 'true', 'false'])
    .default('1')
    .transform((v) => v === '1' || v === 'true'),
  // Origins allowed to call the API with the session cookie from another origin (the Vite dev server).
  CORS_ORIGINS: z
    .string()
    .default('http://localhost:5173')
    .transform((v) => v.split(',').map((o) => o.trim()).filter(Boolean)),
  TEST_DATABASE_URL: z.string().url().optional(),
  // Every statement of an API request ends after this long (PostgreSQL only) with a 503; long jobs set their own.
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(5000),
  // PostgreSQL connections of one API process (README, Settings): the processes together stay under max_connections.
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  // A list export (GET /api/<list>/export) is broken off after this long, releasing its transaction and connection.
  EXPORT_TIME_LIMIT_MS: z.coerce.number().int().min(1000).default(10 * 60_000),
  // The key material for secrets at rest (TOTP secrets, recovery code hashes): required in production.
  APP_SECRET: z.string().min(32, 'at least 32 characters (e.g. `openssl rand -base64 48`)').optional(),
  // The Razorpay webhook's secret (Dashboard > Webhooks), and the one it replaces while a rotation is under way:
  // events signed with either are accepted. Required in production; elsewhere a fixed demo value.
  RAZORPAY_WEBHOOK_SECRET: z.string().min(8, 'at least 8 characters').max(200).optional(),
  RAZORPAY_WEBHOOK_SECRET_PREVIOUS: z.string().min(8, 'at least 8 characters').max(200).optional(),
  // The live map's tiles: an XYZ URL template ({z}/{x}/{y}, optional {s}), or `none` for markers on a plain background.
  MAP_TILE_URL: z
    .string()
    .default('https://tile.openstreetmap.org/{z}/{x}/{y}.png')
    .refine((v) => v === 'none' || (/^https?:\/\//.test(v) && v.includes('{z}') && v.includes('{x}') && v.includes('{y}')), 'an http(s) URL with {z}, {x} and {y}, or none'),
  MAP_TILE_ATTRIBUTION: z.string().max(500).default('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
  // Staff GPS positions older than this are deleted by the prune job (every API process runs it hourly).
  POSITION_RETENTION_DAYS: z.coerce.number().int().min(1).max(366).default(30),
  // Lets Prometheus on another machine read GET /metrics (Authorization: Bearer ...); the machine itself needs none.
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').max(200).optional(),
  // WhatsApp Business (Cloud API): the app secret that signs the inbound webhook (X-Hub-Signature-256), the token its
  // verification GET echoes, and where messages are sent (the phone number's endpoint) with its access token. Outside
  // production the secret and token have demo values; in production an unset secret refuses every inbound delivery.
  WHATSAPP_APP_SECRET: z.string().min(8, 'at least 8 characters').max(200).optional(),
  WHATSAPP_VERIFY_TOKEN: z.string().min(8, 'at least 8 characters').max(200).optional(),
  WHATSAPP_API_URL: z.string().url().optional(),
  WHATSAPP_TOKEN: z.string().min(8, 'at least 8 characters').max(1000).optional(),
});

/**
 * Outside production, a fixed, public value: demo and test databases stay readable across restarts. A real deployment
 * must set its own (readEnv refuses to start in production without one): with this value its TOTP secrets are readable.
 */
export const DEMO_APP_SECRET = 'milkrun-demo-app-secret-not-for-production-use';

/** Outside production, the webhook's secret when none is set (the demo, tests, the benchmark sign with it). */
export const DEMO_WEBHOOK_SECRET = 'milkrun-demo-webhook-secret';

/** Outside production, the WhatsApp webhook's app secret and verify token when none is set (demo, tests). */
export const DEMO_WHATSAPP_APP_SECRET = 'milkrun-demo-whatsapp-secret';
export const DEMO_WHATSAPP_VERIFY_TOKEN = 'milkrun-demo-whatsapp-verify';

export type Env = Omit<z.infer<typeof EnvSchema>, 'COOKIE_SECURE' | 'APP_SECRET' | 'RAZORPAY_WEBHOOK_SECRET'> & {
  COOKIE_SECURE: boolean;
  APP_SECRET: string;
  RAZORPAY_WEBHOOK_SECRET: string;
};

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid environment: ${fields}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === 'production' && !env.APP_SECRET) {
    throw new Error('Invalid environment: APP_SECRET: required in production (at least 32 random characters; it encrypts the TOTP secrets).');
  }
  if (env.NODE_ENV === 'production' && !env.RAZORPAY_WEBHOOK_SECRET) {
    throw new Error('Invalid environment: RAZORPAY_WEBHOOK_SECRET: required in production (the secret set on the Razorpay webhook; events are verified with it).');
  }
  return {
    ...env,
    COOKIE_SECURE: env.COOKIE_SECURE ?? env.NODE_ENV === 'production',
    APP_SECRET: env.APP_SECRET ?? DEMO_APP_SECRET,
    RAZORPAY_WEBHOOK_SECRET: env.RAZORPAY_WEBHOOK_SECRET ?? DEMO_WEBHOOK_SECRET,
    WHATSAPP_APP_SECRET: env.WHATSAPP_APP_SECRET ?? (env.NODE_ENV === 'production' ? undefined : DEMO_WHATSAPP_APP_SECRET),
    WHATSAPP_VERIFY_TOKEN: env.WHATSAPP_VERIFY_TOKEN ?? (env.NODE_ENV === 'production' ? undefined : DEMO_WHATSAPP_VERIFY_TOKEN),
  };
}
