/**
 * Once per test project: find the server (embedded under .data/test, or TEST_ADMIN_URL), build a
 * migrated template database, and hand both to the test files. Each test file then clones the
 * template into a database of its own (tests/helpers/database.ts), so files run in parallel
 * without touching each other's data, and migrations run once, not once per file.
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createLogger, type Logger } from '../../core/logger.ts';
import { withDatabase } from '../../database/src/connection.ts';
import { destroyEmbeddedPostgres, ensureEmbeddedPostgres } from '../../database/src/embedded.ts';
import { STAGES, type StageLogins } from '../../database/src/logins.ts';
import { migrate } from '../../database/src/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
    /** Prefix of every database this run creates: test_<pid of the run>_<project>_ */
    databasePrefix: string;
    /** The vitest project: 'embedded' or 'pg15'. */
    projectName: string;
    /** This run's stage logins (roles are cluster-wide: each run has its own names and passwords). */
    stageLogins: StageLogins;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Clusters of earlier runs that were killed before their teardown (their pid is gone). */
async function destroyAbandonedClusters(testDir: string, log: Logger): Promise<void> {
  const entries = await readdir(testDir).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(/-(\d+)$/.exec(entry)?.[1]);
    if (Number.isInteger(pid) && !alive(pid)) await destroyEmbeddedPostgres(path.join(testDir, entry), log);
  }
}

export default async function setup(project: TestProject) {
  const log = createLogger('tests', { level: 'warn' });
  const testDir = path.join(PROJECT_ROOT, '.data', 'test');
  await destroyAbandonedClusters(testDir, log);
  // A cluster of this run's own: parallel runs (and their teardowns) never share one.
  const embeddedDir = path.join(testDir, `${project.name}-${process.pid}`);
  const external = project.config.env?.TEST_ADMIN_URL || undefined;
  const adminUrl = external ?? (await ensureEmbeddedPostgres(embeddedDir, log)).adminUrl;
  const prefix = `test_${process.pid}_${project.name}_`;
  const template = `${prefix}template`;

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const dropDatabases = async (keep: (name: string) => boolean) => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'test\\_%'`,
    );
    for (const { datname } of rows) {
      if (keep(datname)) continue;
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
  };
  // Databases of earlier runs that died before their teardown (their pid is gone).
  await dropDatabases((name) => {
    const pid = Number(name.split('_')[1]);
    return !Number.isInteger(pid) || alive(pid);
  });
  // Logins of earlier runs that died before their teardown, then this run's own.
  const dropLogins = async (keep: (name: string) => boolean) => {
    const { rows } = await admin.query<{ rolname: string }>(
      `SELECT rolname FROM pg_roles WHERE rolname LIKE 'test\\_%' AND rolcanlogin`,
    );
    for (const { rolname } of rows) {
      if (!keep(rolname))
        await admin.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(rolname)}`).catch(() => undefined);
    }
  };
  await dropLogins((name) => {
    const pid = Number(name.split('_')[1]);
    return !Number.isInteger(pid) || alive(pid);
  });
  const stageLogins = Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      { user: `${prefix}${stage}`, password: randomBytes(18).toString('base64url') },
    ]),
  ) as StageLogins;
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(template)}`);
  await migrate(withDatabase(adminUrl, template), log, { logins: stageLogins });

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', template);
  project.provide('databasePrefix', prefix);
  project.provide('projectName', project.name);
  project.provide('stageLogins', stageLogins);

  return async () => {
    await dropDatabases((name) => !name.startsWith(prefix));
    await dropLogins((name) => !name.startsWith(prefix));
    await admin.end();
    if (!external) await destroyEmbeddedPostgres(embeddedDir, log);
  };
}
