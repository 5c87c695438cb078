import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux, whatever the kernel's HZ). */
const TICKS = 100;

function ticksOf(pid: number | string): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** PostgreSQL's processes; with a database, only the backends connected to it (their title names it). */
function postgresPids(database?: string): string[] {
  try {
    return readdirSync('/proc').filter(
      (p) =>
        /^\d+$/.test(p) &&
        readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'postgres' &&
        (!database || readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(` ${database} `)),
    );
  } catch {
    return [];
  }
}

export interface CpuSplit {
  /** CPU seconds over the interval: this process (the load generator), the server under test, all of PostgreSQL. */
  client_s: number;
  server_s: number;
  postgres_s: number;
}

/**
 * Where the CPU of a load phase went, to say what limits a figure on a small machine: call before, then call the
 * returned function after. Reads /proc (Linux); elsewhere every figure is 0. With `database`, PostgreSQL's share is
 * only its backends connected to that database (others' work on a shared machine left out; a backend that connects
 * during the phase counts from 0).
 */
export function cpuMeter(serverPid: number, database?: string): () => CpuSplit {
  const pg0 = new Map(postgresPids(database).map((p) => [p, ticksOf(p)]));
  const server0 = ticksOf(serverPid);
  const client0 = process.cpuUsage();
  return () => {
    const client = process.cpuUsage(client0);
    let pg = 0;
    for (const p of postgresPids(database)) pg += ticksOf(p) - (pg0.get(p) ?? 0);
    const round = (n: number) => Math.round(n * 100) / 100;
    return { client_s: round((client.user + client.system) / 1e6), server_s: round((ticksOf(serverPid) - server0) / TICKS), postgres_s: round(pg / TICKS) };
  };
}
