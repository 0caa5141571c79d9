/**
 * The commands as a user runs them with the stage login URLs configured: `migrate` (owner)
 * creates the logins, `ingest eia` and `ingest gl` then run with no owner credential in its environment at all,
 * as the loader login, and `migrate` without DATABASE_URL says what it needs.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { STAGES, withLogin } from '../../database/src/logins.ts';
import { build, listen } from '../api/helpers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const EIA_DIR = path.resolve(PROJECT_ROOT, '../shared/data/eia');
let db: TestDatabase;
let dataDir: string;
let gl: FastifyInstance;
let glUrl: string;
const logins = Object.fromEntries(
  STAGES.map((s) => [
    s,
    { user: `${inject('databasePrefix')}cli_${s}`, password: randomBytes(18).toString('base64url') },
  ]),
) as Record<(typeof STAGES)[number], { user: string; password: string }>;

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'orchestration/src/cli.ts', ...args], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      EIA_API_KEY: '',
      EIA_REPLAY_DIR: EIA_DIR,
      PIPELINE_DATA_DIR: dataDir, // empty: a fall back to the embedded server would show
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

const stageEnv = () => ({
  LOADER_DATABASE_URL: withLogin(db.url, logins.loader),
  TRANSFORMER_DATABASE_URL: withLogin(db.url, logins.transformer),
  REPORTING_DATABASE_URL: withLogin(db.url, logins.reporting),
});

beforeAll(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'logins-cli-'));
  gl = await build({ wells: 3 });
  glUrl = await listen(gl);
});
afterAll(async () => {
  for (const { user } of Object.values(logins)) {
    await db?.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(user)}`);
  }
  await db?.drop();
  await gl?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('commands with stage logins', () => {
  it('migrate creates the logins; both ingest commands run as the loader login with no owner URL', async () => {
    const migrated = await cli(['migrate'], { DATABASE_URL: db.url, ...stageEnv() });
    expect(migrated.code, migrated.output).toBe(0);
    expect(migrated.output).toContain('stage logins are up to date');
    expect(migrated.output).not.toContain(logins.loader.password);
    const { rows } = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_roles WHERE rolname = ANY ($1) AND rolcanlogin AND NOT rolsuper`,
      [STAGES.map((s) => logins[s].user)],
    );
    expect(rows[0]!.n).toBe(3);

    const args = ['ingest', 'eia', '--series', 'RWTC', '--from', '2024-01-01', '--to', '2024-01-31'];
    const ingested = await cli(args, stageEnv());
    expect(ingested.code, ingested.output).toBe(0);
    expect(ingested.output).not.toContain('is not set: the loader runs as the DATABASE_URL login');
    const loaded = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM raw.eia_observations WHERE series_id = 'RWTC'`,
    );
    expect(loaded.rows[0]!.n).toBeGreaterThan(15); // trading days of January 2024

    const glRun = await cli(['ingest', 'gl', '--from', '2024-01-29', '--to', '2024-01-30'], {
      ...stageEnv(),
      GL_API_URL: glUrl,
      GL_AS_OF: '2024-01-31',
    });
    expect(glRun.code, glRun.output).toBe(0);
    const lines = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM raw.gl_lines`);
    expect(lines.rows[0]!.n).toBeGreaterThan(0);

    // the loader login is the only way in: closing it stops the command
    await db.query(`ALTER ROLE ${pg.escapeIdentifier(logins.loader.user)} CONNECTION LIMIT 0`);
    const refused = await cli(args, stageEnv());
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`too many connections for role \\"${logins.loader.user}\\"`);
    await db.query(`ALTER ROLE ${pg.escapeIdentifier(logins.loader.user)} CONNECTION LIMIT -1`);
  });

  it('migrate without DATABASE_URL says the owner login is needed', async () => {
    const result = await cli(['migrate'], stageEnv());
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('DATABASE_URL is not set');
  });
});
