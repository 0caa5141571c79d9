/**
 * Marts to report on, built the way a user builds them: the real GL service (a small ledger) and
 * the real EIA files through the replay, loaded and transformed by the `pipeline` CLI into a
 * database of the test file's own. GL_AS_OF is inside the replayed data (prices to 2026-08,
 * state production to 2024-01), so every mart has rows.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startGlService } from '../../bench/support.ts';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

export const AS_OF = '2024-01-31';
export const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run pipeline -- <args>` against `databaseUrl`, without npm's wrapper. */
export function pipeline(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(PROJECT_ROOT, 'orchestration/src/cli.ts'), ...args],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json', EIA_API_KEY: '', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface Marts {
  db: TestDatabase;
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function buildMarts(options: { wells?: number } = {}): Promise<Marts> {
  const db = await createTestDatabase();
  const targetPath = await mkdtemp(path.join(os.tmpdir(), 'reports-dbt-'));
  let service: { child: ChildProcess; baseUrl: string } | undefined;
  try {
    service = await startGlService({ wells: options.wells ?? 8, asOf: AS_OF });
    const env = {
      DATABASE_URL: db.url,
      GL_API_URL: service.baseUrl,
      GL_AS_OF: AS_OF,
      EIA_REPLAY_DIR: EIA_DIR,
    };
    for (const args of [
      ['ingest', 'eia'],
      ['ingest', 'gl'],
      ['transform', '--target-path', targetPath],
    ]) {
      const run = await pipeline(args, env);
      if (run.code !== 0)
        throw new Error(`pipeline ${args.join(' ')} exited ${run.code}:\n${run.stderr.slice(-4000)}`);
    }
    const built = service;
    return {
      db,
      env,
      async close() {
        built.child.kill('SIGTERM');
        await db.drop();
        await rm(targetPath, { recursive: true, force: true });
      },
    };
  } catch (error) {
    service?.child.kill('SIGTERM');
    await db.drop();
    await rm(targetPath, { recursive: true, force: true });
    throw error;
  }
}
