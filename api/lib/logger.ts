import pino, { type Logger } from 'pino';

/** JSON logs in production, readable ones in a terminal during development. */
export function createLogger(opts: { level: string; pretty: boolean }): Logger {
  return pino({
    level: opts.level,
    transport: opts.pretty ? { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } : undefined,
  });
}
