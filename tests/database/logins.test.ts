/**
 * Least privilege that holds: each stage logs in as a login of its own (no superuser, no SET
 * ROLE from a stronger login), so nothing it runs can reach past its group role's privileges.
 * Every case connects as the login itself, the way the pipeline's commands do.
 */
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig, type Config } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { createPool, resolveDatabaseUrl, ROLES } from '../../database/src/connection.ts';
import {
  embeddedStageLogins,
  provisionStageLogins,
  STAGES,
  withLogin,
  type Stage,
  type StageLogins,
} from '../../database/src/logins.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const log = createLogger('test', { level: 'silent' });
let db: TestDatabase;
const clients: pg.Client[] = [];
const pools: pg.Pool[] = [];

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  clients.push(client);
  return client;
}

/** The SQLSTATE a statement fails with; fails the test when it succeeds. */
async function refused(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: { code?: string }) => e,
  );
  expect(error, 'statement should have been refused').toBeDefined();
  return (error as { code: string }).code;
}

const line = (date: string, id: string, batch: number) =>
  `INSERT INTO raw.gl_lines (posting_date, line_id, journal_id, line_no, accounting_period, account_number,
                             debit, credit, source, payload_hash, batch_id)
   VALUES ('${date}', '${id}', 'J-${id}', 1, '${date.slice(0, 7)}', '1000', 5, 0, 'gl', 'h', ${batch})`;

beforeAll(async () => {
  db = await createTestDatabase();
  await db.query(`SELECT raw.ensure_gl_partitions('2001-01-01', '2001-01-31')`);
});
afterAll(async () => {
  await Promise.all([...clients.map((c) => c.end()), ...pools.map((p) => p.end())]);
  await db?.drop();
});

describe('stage logins', () => {
  it('are plain logins, each a member of its group role only', async () => {
    const logins = inject('stageLogins');
    for (const stage of STAGES) {
      const { rows } = await db.query(
        `SELECT r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls,
                array(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
                       WHERE m.member = r.oid ORDER BY 1) AS member_of
           FROM pg_roles r WHERE r.rolname = $1`,
        [logins[stage].user],
      );
      expect(rows[0]).toEqual({
        rolcanlogin: true,
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        member_of: [ROLES[stage]],
      });
    }
  });

  it.each(STAGES)('as the %s login, SET ROLE NONE gains nothing', async (stage: Stage) => {
    const client = await connect(db.urlAs(stage));
    await client.query('SET ROLE NONE');
    const { rows } = await client.query<{ me: string; superuser: string }>(
      `SELECT current_user AS me, current_setting('is_superuser') AS superuser`,
    );
    expect(rows[0]).toEqual({ me: inject('stageLogins')[stage].user, superuser: 'off' });
    // every privilege on every relation, schema, function and the database is exactly the group's
    const { rows: extra } = await client.query(
      `WITH privs AS (
         SELECT 'table ' || c.oid::regclass AS object, p,
                has_table_privilege(current_user, c.oid, p) AS mine, has_table_privilege($1, c.oid, p) AS groups
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
                unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p
          WHERE n.nspname IN ('raw', 'ops', 'staging', 'intermediate', 'marts', 'public')
            AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
         UNION ALL
         SELECT 'schema ' || n.nspname, p, has_schema_privilege(current_user, n.oid, p), has_schema_privilege($1, n.oid, p)
           FROM pg_namespace n, unnest(ARRAY['USAGE', 'CREATE']) p
         UNION ALL
         SELECT 'function ' || f.oid::regprocedure, 'EXECUTE',
                has_function_privilege(current_user, f.oid, 'EXECUTE'), has_function_privilege($1, f.oid, 'EXECUTE')
           FROM pg_proc f JOIN pg_namespace n ON n.oid = f.pronamespace WHERE n.nspname IN ('raw', 'ops')
         UNION ALL
         SELECT 'database', p, has_database_privilege(current_user, current_database(), p),
                has_database_privilege($1, current_database(), p)
           FROM unnest(ARRAY['CREATE', 'CONNECT', 'TEMPORARY']) p
       )
       SELECT object, p FROM privs WHERE mine AND NOT groups`,
      [ROLES[stage]],
    );
    expect(extra).toEqual([]);
    // and no role to switch to but its own group
    expect(await refused(client.query('SET ROLE postgres'))).toBe('42501');
    expect(await refused(client.query('SET SESSION AUTHORIZATION postgres'))).toBe('42501');
    for (const other of STAGES.filter((s) => s !== stage)) {
      expect(await refused(client.query(`SET ROLE ${ROLES[other]}`))).toBe('42501');
    }
    await client.query(`SET ROLE ${ROLES[stage]}`);
  });

  it('the reporting login cannot read raw, whether or not it sets its role', async () => {
    const plain = await connect(db.urlAs('reporting'));
    const pool = createPool(db.urlAs('reporting'), { role: ROLES.reporting, max: 1 });
    pools.push(pool);
    for (const reporting of [plain, pool]) {
      for (const table of ['raw.gl_lines', 'raw.gl_lines_2001_01', 'raw.eia_observations', 'raw.gl_wells']) {
        expect(await refused(reporting.query(`SELECT * FROM ${table} LIMIT 1`))).toBe('42501');
      }
      expect(await refused(reporting.query('SELECT * FROM ops.ingestion_batches LIMIT 1'))).toBe('42501');
    }
    await plain.query('SET ROLE NONE');
    expect(await refused(plain.query('SELECT * FROM raw.gl_lines LIMIT 1'))).toBe('42501');
  });

  it('the loader login inserts GL lines exactly once but cannot update or delete one', async () => {
    const pool = createPool(db.urlAs('loader'), { role: ROLES.loader, max: 1 });
    pools.push(pool);
    const { rows } = await pool.query<{ batch_id: number }>(
      `INSERT INTO ops.ingestion_batches (source, entity) VALUES ('gl', 'lines') RETURNING batch_id`,
    );
    const batch = rows[0]!.batch_id;
    await pool.query(line('2001-01-05', 'L-LOGIN-1', batch));
    // what the GL loader does on a reload: the known line is left alone
    const again = await pool.query(`${line('2001-01-05', 'L-LOGIN-1', batch)} ON CONFLICT DO NOTHING`);
    expect(again.rowCount).toBe(0);
    const loader = await connect(db.urlAs('loader'));
    for (const client of [pool, loader]) {
      for (const table of ['raw.gl_lines', 'raw.gl_lines_2001_01']) {
        expect(await refused(client.query(`UPDATE ${table} SET debit = 6 WHERE line_id = 'L-LOGIN-1'`))).toBe(
          '42501',
        );
        expect(await refused(client.query(`DELETE FROM ${table} WHERE line_id = 'L-LOGIN-1'`))).toBe('42501');
      }
      expect(
        await refused(
          client.query(
            `${line('2001-01-05', 'L-LOGIN-1', batch)} ON CONFLICT (posting_date, line_id) DO UPDATE SET debit = 6`,
          ),
        ),
      ).toBe('42501');
      expect(await refused(client.query('TRUNCATE raw.gl_lines'))).toBe('42501');
    }
    await loader.query('SET ROLE NONE');
    expect(await refused(loader.query(`DELETE FROM raw.gl_lines WHERE line_id = 'L-LOGIN-1'`))).toBe('42501');
    const stored = await db.query(`SELECT debit FROM raw.gl_lines WHERE line_id = 'L-LOGIN-1'`);
    expect(stored.rows).toEqual([{ debit: '5.00' }]);
  });

  it('a trigger refuses to change a posted line even for the owner', async () => {
    await db.query(line('2001-01-06', 'L-OWNER-1', 1));
    for (const table of ['raw.gl_lines', 'raw.gl_lines_2001_01']) {
      expect(await refused(db.query(`UPDATE ${table} SET debit = 7 WHERE line_id = 'L-OWNER-1'`))).toBe(
        '23000',
      );
      expect(await refused(db.query(`DELETE FROM ${table} WHERE line_id = 'L-OWNER-1'`))).toBe('23000');
    }
    // the announcement that lets raw.ensure_gl_partitions move rows counts for nobody else
    const loader = await connect(db.urlAs('loader'));
    await loader.query(`SET energy.gl_partition_move = on`);
    expect(await refused(loader.query(`DELETE FROM raw.gl_lines WHERE line_id = 'L-OWNER-1'`))).toBe('42501');
    expect((await db.query(`SELECT debit FROM raw.gl_lines WHERE line_id = 'L-OWNER-1'`)).rows).toEqual([
      { debit: '5.00' },
    ]);
  });

  it('the loader keeps UPDATE where rows legitimately change, and only there', async () => {
    const loader = await connect(db.urlAs('loader'));
    await loader.query(
      `INSERT INTO raw.gl_wells (well_id, payload, payload_hash, batch_id) VALUES ('W1', '{}', 'a', 1)
       ON CONFLICT (well_id) DO UPDATE SET payload_hash = EXCLUDED.payload_hash`,
    );
    await loader.query(
      `INSERT INTO raw.gl_wells (well_id, payload, payload_hash, batch_id) VALUES ('W1', '{}', 'b', 1)
       ON CONFLICT (well_id) DO UPDATE SET payload_hash = EXCLUDED.payload_hash`,
    );
    await loader.query(`UPDATE raw.eia_observations SET revision = revision + 1 WHERE false`);
    await loader.query(`UPDATE ops.ingestion_batches SET status = status WHERE false`);
    expect(await refused(loader.query(`UPDATE raw.eia_observation_revisions SET value = 0`))).toBe('42501');
    expect(await refused(loader.query(`UPDATE raw.eia_responses SET row_count = 0`))).toBe('42501');
    expect(await refused(loader.query(`DELETE FROM raw.gl_wells`))).toBe('42501');
  });

  it('the transformer login records check outcomes in ops.dq_results and writes nothing else in ops', async () => {
    const transformer = await connect(db.urlAs('transformer'));
    await transformer.query(`SET ROLE ${ROLES.transformer}`);
    await transformer.query(
      `INSERT INTO ops.dq_results (check_name, severity, status) VALUES ('login_test', 'warn', 'pass')`,
    );
    expect(await refused(transformer.query(`UPDATE ops.dq_results SET status = 'fail'`))).toBe('42501');
    expect(await refused(transformer.query(`DELETE FROM ops.dq_results`))).toBe('42501');
    expect(
      await refused(
        transformer.query(`INSERT INTO ops.ingestion_batches (source, entity) VALUES ('gl', 'x')`),
      ),
    ).toBe('42501');
  });

  it('a table the transformer login creates in marts is readable by the reporting login', async () => {
    // as dbt does: log in as the transformer login, then SET ROLE (profiles.yml `role:`)
    const transformer = await connect(db.urlAs('transformer'));
    await transformer.query(`SET ROLE ${ROLES.transformer}`);
    await transformer.query('SELECT count(*) FROM raw.gl_lines');
    await transformer.query('CREATE TABLE marts.fct_login_test AS SELECT 1 AS x');
    expect(await refused(transformer.query(`INSERT INTO raw.gl_wells VALUES ('w', '{}', 'h', 1)`))).toBe(
      '42501',
    );
    const reporting = await connect(db.urlAs('reporting'));
    expect((await reporting.query('SELECT x FROM marts.fct_login_test')).rows).toEqual([{ x: 1 }]);
    expect(await refused(reporting.query('INSERT INTO marts.fct_login_test VALUES (2)'))).toBe('42501');
  });
});

describe('provisioning', () => {
  const prefix = `${inject('databasePrefix')}p_`;
  const triple = (tag: string, password: string): StageLogins =>
    Object.fromEntries(STAGES.map((s) => [s, { user: `${prefix}${tag}_${s}`, password }])) as StageLogins;
  const created: string[] = [];

  afterAll(async () => {
    for (const role of created) await db.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(role)}`);
  });

  it('creates the logins, then updates their passwords on the next migrate', async () => {
    const first = triple('rot', 'first-password-0123456789');
    created.push(...STAGES.map((s) => first[s].user));
    await provisionStageLogins(db.url, first, log);
    const loader = await connect(withLogin(db.url, first.loader));
    expect((await loader.query('SELECT current_user AS u')).rows[0].u).toBe(first.loader.user);
    const second = triple('rot', 'second-password-0123456789');
    await provisionStageLogins(db.url, second, log);
    await connect(withLogin(db.url, second.loader));
    // the password is stored as a SCRAM verifier, never as sent
    const { rows } = await db.query(`SELECT rolpassword FROM pg_authid WHERE rolname = $1`, [
      second.loader.user,
    ]);
    expect(rows[0]!.rolpassword).toMatch(/^SCRAM-SHA-256\$4096:/);
  });

  it.runIf(inject('projectName') === 'embedded')(
    'the embedded server checks the password of every login but the superuser',
    async () => {
      const logins = triple('pw', 'right-password-0123456789');
      created.push(...STAGES.map((s) => logins[s].user));
      await provisionStageLogins(db.url, logins, log);
      const wrong = withLogin(db.url, { user: logins.loader.user, password: 'wrong-password-0123456789' });
      expect(await refused(connect(wrong))).toBe('28P01');
      await connect(withLogin(db.url, logins.loader));
    },
  );

  it('refuses a login that could become more than its stage', async () => {
    const logins = triple('bad', 'some-password-0123456789');
    created.push(...STAGES.map((s) => logins[s].user));
    await db.query(`CREATE ROLE ${pg.escapeIdentifier(logins.loader.user)} LOGIN IN ROLE energy_transformer`);
    await expect(provisionStageLogins(db.url, logins, log)).rejects.toThrow(
      /also a member of energy_transformer/,
    );
    const owner = (await db.query('SELECT current_user AS u')).rows[0]!.u as string;
    await expect(
      provisionStageLogins(db.url, { ...logins, loader: { user: owner, password: 'x'.repeat(20) } }, log),
    ).rejects.toThrow(/must be a login of its own/);
    await expect(
      provisionStageLogins(db.url, { ...logins, reporting: logins.transformer }, log),
    ).rejects.toThrow(/more than one stage/);
  });
});

describe('where stage credentials come from', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'logins-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const config = (over: Partial<Omit<Config, 'roles'>> & { roles?: Partial<Config['roles']> }): Config => {
    const base = loadConfig();
    return {
      ...base,
      dataDir: dir,
      ...over,
      roles: { loaderUrl: undefined, transformerUrl: undefined, reportingUrl: undefined, ...over.roles },
    };
  };

  it('embedded mode generates them once, readable by their owner only', async () => {
    const first = await embeddedStageLogins(dir);
    const file = path.join(dir, 'stage-logins.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(first.loader.user).toBe('energy_loader_login');
    expect(new Set(STAGES.map((s) => first[s].password)).size).toBe(3);
    await chmod(file, 0o644);
    expect(await embeddedStageLogins(dir)).toEqual(first);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('the *_DATABASE_URL variables name each stage login, and go together', async () => {
    const roles = {
      loaderUrl: 'postgresql://l:pl@h:5432/energy',
      transformerUrl: 'postgresql://t:pt@h:5432/energy',
      reportingUrl: 'postgresql://r:pr@h:5432/energy',
    };
    const both = config({ databaseUrl: 'postgresql://owner:po@h:5432/energy', roles });
    expect(await resolveDatabaseUrl(log, both, 'loader')).toBe(roles.loaderUrl);
    expect(await resolveDatabaseUrl(log, both, 'reporting')).toBe(roles.reportingUrl);
    expect(await resolveDatabaseUrl(log, both)).toBe('postgresql://owner:po@h:5432/energy');
    // a run-time container gets no owner URL: stages work, migrations say what they need
    const stagesOnly = config({ databaseUrl: undefined, roles });
    expect(await resolveDatabaseUrl(log, stagesOnly, 'transformer')).toBe(roles.transformerUrl);
    await expect(resolveDatabaseUrl(log, stagesOnly)).rejects.toThrow(/DATABASE_URL is not set/);
    const partial = config({ databaseUrl: 'postgresql://o@h/e', roles: { loaderUrl: roles.loaderUrl } });
    await expect(resolveDatabaseUrl(log, partial, 'loader')).rejects.toThrow(
      /LOADER_DATABASE_URL set but TRANSFORMER_DATABASE_URL, REPORTING_DATABASE_URL not/,
    );
  });

  it('DATABASE_URL alone: every stage shares that login, and is told so', async () => {
    const lines: string[] = [];
    const capture = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const shared = config({ databaseUrl: 'postgresql://owner@h:5432/energy' });
    expect(await resolveDatabaseUrl(capture, shared, 'loader')).toBe('postgresql://owner@h:5432/energy');
    await resolveDatabaseUrl(capture, shared, 'loader');
    expect(lines.filter((l) => l.includes('LOADER_DATABASE_URL is not set'))).toHaveLength(1);
  });
});
