/**
 * The embedded server must survive what users do to it: the process that started it killed with
 * SIGKILL, or the postmaster itself killed with SIGKILL (leaving a stale postmaster.pid).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { destroyEmbeddedPostgres, ensureEmbeddedPostgres } from '../../database/src/embedded.ts';

const log = createLogger('test', { level: 'silent' });
let dir: string;

async function select1(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT 1 AS one')).rows[0].one;
  } finally {
    await client.end();
  }
}

function postmasterPid(pgdata: string): number {
  return Number(readFileSync(path.join(pgdata, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

afterAll(async () => {
  if (dir) await destroyEmbeddedPostgres(dir, log);
});

describe('embedded PostgreSQL', () => {
  it('recovers after the process holding it and then the postmaster are killed with SIGKILL', async () => {
    dir = await mkdtemp(path.join(PROJECT_ROOT, '.data', 'embedded-test-'));
    // A separate process starts the server, says so, and is killed with -9 while holding it.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `const { ensureEmbeddedPostgres } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'database/src/embedded.ts'))});
         const { createLogger } = await import(${JSON.stringify(path.join(PROJECT_ROOT, 'core/logger.ts'))});
         const s = await ensureEmbeddedPostgres(${JSON.stringify(dir)}, createLogger('child', { level: 'silent' }));
         console.log('READY ' + s.adminUrl);
         setInterval(() => {}, 1000);`,
      ],
      { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /READY (\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));

    const again = await ensureEmbeddedPostgres(dir, log);
    expect(again.adminUrl).toBe(url);
    expect(await select1(again.adminUrl)).toBe(1);

    // Now the server itself dies hard: a stale postmaster.pid stays behind.
    const pid = postmasterPid(again.pgdata);
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    const restarted = await ensureEmbeddedPostgres(dir, log);
    expect(postmasterPid(restarted.pgdata)).not.toBe(pid);
    expect(await select1(restarted.adminUrl)).toBe(1);
  });
});
