import pino, { type Logger } from 'pino';

/**
 * Keys that must never reach a log line, wherever they sit in a logged object: a second line of defence (the request
 * log writes no headers or bodies, and errors are logged without their request).
 */
export const REDACTED_PATHS = [
  'password', '*.password', 'new_password', '*.new_password', 'totp', '*.totp', 'code', '*.code', 'recovery_code', '*.recovery_code',
  'secret', '*.secret', 'token', '*.token', 'cookie', '*.cookie', 'authorization', '*.authorization',
  'headers.cookie', 'headers.authorization', '*.headers.cookie', '*.headers.authorization', 'password_hash', '*.password_hash', 'totp_secret', '*.totp_secret',
];

/** JSON lines in production (one per request: id, user, route, status, duration), readable ones in a terminal in development. */
export function createLogger(opts: { level: string; pretty: boolean; destination?: pino.DestinationStream }): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    transport: opts.pretty && !opts.destination ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } : undefined,
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
