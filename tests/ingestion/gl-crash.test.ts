/**
 * Crash safety: a `pipeline ingest gl` child process is SIGKILLed in the middle of a load (held
 * inside a chunk's transaction, after its rows were written and before COMMIT), then run again:
 * raw ends equal to a clean run's, and the interrupted batch is recorded as abandoned.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import type { TestDatabase } from '../helpers/database.ts';
import { rawSnapshot, runGl, useSlowGlService, waitFor } from './gl-helpers.ts';

const AS_OF = '2024-01-31';
const FROM = '2023-01-31';
const TO = '2024-01-30';

function cli(db: TestDatabase, service: { url: string }, args: string[]) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(PROJECT_ROOT, 'orchestration/src/cli.ts'), 'ingest', 'gl', ...args],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        GL_API_URL: service.url,
        GL_AS_OF: AS_OF,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => child.on('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

describe('GL ingestion crash', () => {
  // a slow link, so the test can act between the child's batches
  const gl = useSlowGlService(AS_OF, 40);

  it('SIGKILL inside a load, then a rerun: raw equals a clean run', async () => {
    const { service, slow } = gl;
    const clean = await gl.database();
    const db = await gl.database();
    await runGl({
      databaseUrl: clean.url,
      gl: { url: service.url, token: undefined, asOf: AS_OF },
      log: pino({ level: 'silent' }),
      mode: { kind: 'range', from: FROM, to: TO },
      reference: true,
    });

    const first = cli(db, slow, ['--from', FROM, '--to', TO, '--batch-size', '300']);
    await waitFor('two committed batches', async () => {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM ops.ingestion_batches WHERE entity = 'lines' AND status = 'succeeded'`,
      );
      return rows[0]!.n >= 2 ? true : undefined;
    });
    // Hold the next chunk inside its transaction: advancing the watermark waits for this lock.
    const locker = new pg.Client({ connectionString: db.url });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE ops.watermarks IN EXCLUSIVE MODE');
    const blockedPid = await waitFor('the loader to block inside its transaction', async () => {
      const { rows } = await db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'gl-ingestion' AND wait_event_type = 'Lock'`,
      );
      return rows[0]?.pid;
    });
    const { rows: inFlight } = await db.query(
      `SELECT batch_id FROM ops.ingestion_batches WHERE entity = 'lines' AND status = 'running'`,
    );
    expect(inFlight).toHaveLength(1);
    first.child.kill('SIGKILL');
    const killed = await first.exited;
    expect(killed.signal).toBe('SIGKILL');
    await locker.query('ROLLBACK');
    await locker.end();
    await waitFor('the killed session to end', async () => {
      const { rows } = await db.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1`, [blockedPid]);
      return rows.length === 0 ? true : undefined;
    });
    const { rows: partial } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM raw.gl_lines`);
    const { rows: cleanCount } = await clean.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM raw.gl_lines`,
    );
    expect(partial[0]!.n).toBeGreaterThan(0);
    expect(partial[0]!.n).toBeLessThan(cleanCount[0]!.n);

    const second = cli(db, service, ['--from', FROM, '--to', TO, '--batch-size', '300']);
    const done = await second.exited;
    expect(done.code, done.output).toBe(0);

    expect(await rawSnapshot(db)).toEqual(await rawSnapshot(clean));
    const { rows: abandoned } = await db.query(
      `SELECT status, error, finished_at FROM ops.ingestion_batches WHERE batch_id = $1`,
      [inFlight[0]!.batch_id],
    );
    expect(abandoned[0]).toMatchObject({ status: 'abandoned', error: expect.stringMatching(/^abandoned: /) });
    expect(abandoned[0]!.finished_at).toBeInstanceOf(Date);
    const { rows: wm } = await db.query(
      `SELECT value FROM ops.watermarks WHERE source = 'gl' AND key = 'lines'`,
    );
    expect(wm[0]?.value).toBe(TO);
    // every stored line belongs to a batch that succeeded
    const { rows: orphans } = await db.query(
      `SELECT count(*)::int AS n FROM raw.gl_lines l JOIN ops.ingestion_batches b USING (batch_id) WHERE b.status <> 'succeeded'`,
    );
    expect(orphans[0]!.n).toBe(0);
  });
});
