/**
 * Stage logins: one PostgreSQL LOGIN role per pipeline stage (loader, transformer, reporting),
 * each a member of its NOLOGIN group role and of nothing else, so a stage process holds exactly
 * its group's privileges and `SET ROLE NONE` gains it nothing. Only `migrate` connects as the
 * owner (DATABASE_URL); it creates or updates these logins from where their credentials live:
 *
 * - LOADER_DATABASE_URL, TRANSFORMER_DATABASE_URL and REPORTING_DATABASE_URL (all three or none):
 *   the login name and password are the URL's user and password;
 * - embedded mode (none of those and no DATABASE_URL): generated once and kept in
 *   `<PIPELINE_DATA_DIR>/stage-logins.json`, readable by its owner only (0600);
 * - DATABASE_URL alone: no stage logins; every stage connects as the DATABASE_URL login and
 *   assumes its group role with SET ROLE, which keeps stages apart but is no boundary (a warning
 *   says so once per stage).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../../core/config.ts';
import type { Logger } from '../../core/logger.ts';

export const STAGES = ['loader', 'transformer', 'reporting'] as const;
export type Stage = (typeof STAGES)[number];
/** Who a connection logs in as: the owner (DATABASE_URL, migrations only) or one stage. */
export type DatabaseRole = 'owner' | Stage;

/** The NOLOGIN group role holding each stage's privileges (001_schemas_and_roles.sql). */
export const ROLES = {
  loader: 'energy_loader',
  transformer: 'energy_transformer',
  reporting: 'energy_reporting',
} as const satisfies Record<Stage, string>;

/** Login names used in embedded mode. */
export const EMBEDDED_LOGIN_NAMES: Record<Stage, string> = {
  loader: 'energy_loader_login',
  transformer: 'energy_transformer_login',
  reporting: 'energy_reporting_login',
};

export const EMBEDDED_LOGINS_FILE = 'stage-logins.json';

const STAGE_URL_VARIABLES: Record<Stage, string> = {
  loader: 'LOADER_DATABASE_URL',
  transformer: 'TRANSFORMER_DATABASE_URL',
  reporting: 'REPORTING_DATABASE_URL',
};

export interface StageLogin {
  user: string;
  password: string;
}
export type StageLogins = Record<Stage, StageLogin>;

const stageUrlOf = (config: Config, stage: Stage) => config.roles[`${stage}Url`];

/** True when the stage login URLs are configured; throws when only some of them are. */
export function stageUrlsConfigured(config: Config): boolean {
  const set = STAGES.filter((stage) => stageUrlOf(config, stage) !== undefined);
  if (set.length === 0) return false;
  if (set.length < STAGES.length) {
    const missing = STAGES.filter((stage) => !set.includes(stage)).map((s) => STAGE_URL_VARIABLES[s]);
    throw new Error(
      `${set.map((s) => STAGE_URL_VARIABLES[s]).join(', ')} set but ${missing.join(', ')} not: set all three stage login URLs or none`,
    );
  }
  return true;
}

function loginFromUrl(variable: string, value: string): StageLogin {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${variable} is not a URL`);
  }
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  if (!user || !password)
    throw new Error(`${variable} must name its login and password (postgresql://user:password@host/db)`);
  return { user, password };
}

/** The configured stage login URL of `stage`, or undefined when stage URLs are not configured. */
export function configuredStageUrl(config: Config, stage: Stage): string | undefined {
  return stageUrlsConfigured(config) ? stageUrlOf(config, stage) : undefined;
}

/** `url` with its user and password replaced by the login's. */
export function withLogin(url: string, login: StageLogin): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(login.user);
  parsed.password = encodeURIComponent(login.password);
  return parsed.toString();
}

function isStageLogins(value: unknown): value is StageLogins {
  return STAGES.every((stage) => {
    const login = (value as Record<string, Partial<StageLogin>> | null)?.[stage];
    return (
      typeof login?.user === 'string' && typeof login.password === 'string' && login.password.length >= 16
    );
  });
}

/**
 * The embedded mode's logins, generated on first use. The file is created exclusively (two
 * commands starting at once agree on one set) with mode 0600, and put back to 0600 if loosened.
 */
export async function embeddedStageLogins(dataDir: string): Promise<StageLogins> {
  const file = path.join(dataDir, EMBEDDED_LOGINS_FILE);
  await mkdir(dataDir, { recursive: true });
  const generated = Object.fromEntries(
    STAGES.map((stage) => [
      stage,
      { user: EMBEDDED_LOGIN_NAMES[stage], password: randomBytes(24).toString('base64url') },
    ]),
  ) as StageLogins;
  try {
    await writeFile(file, JSON.stringify(generated, null, 2) + '\n', { flag: 'wx', mode: 0o600 });
    return generated;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, 0o600);
  const stored: unknown = JSON.parse(await readFile(file, 'utf8'));
  if (!isStageLogins(stored)) {
    throw new Error(`${file} is not a valid stage login file: delete it and run \`pipeline migrate\` again`);
  }
  return stored;
}

/** The logins `migrate` must create or update, or undefined in DATABASE_URL-only mode. */
export async function configuredStageLogins(config: Config): Promise<StageLogins | undefined> {
  if (stageUrlsConfigured(config)) {
    return Object.fromEntries(
      STAGES.map((stage) => [stage, loginFromUrl(STAGE_URL_VARIABLES[stage], stageUrlOf(config, stage)!)]),
    ) as StageLogins;
  }
  if (config.databaseUrl) return undefined;
  return embeddedStageLogins(config.dataDir);
}

const warned = new Set<Stage>();

/** Said once per stage and process: in DATABASE_URL-only mode the stage role is no boundary. */
export function warnSharedLogin(log: Logger, stage: Stage): void {
  if (warned.has(stage)) return;
  warned.add(stage);
  log.warn(
    { stage, role: ROLES[stage] },
    `${STAGE_URL_VARIABLES[stage]} is not set: the ${stage} runs as the DATABASE_URL login with SET ROLE ${ROLES[stage]}, which is no privilege boundary (set the three *_DATABASE_URL variables, see .env.example)`,
  );
}

/**
 * The SCRAM-SHA-256 verifier of a password (RFC 7677, as PostgreSQL stores it), so that CREATE
 * and ALTER ROLE carry no plaintext password into the server's statement log. Only for ASCII
 * passwords, for which PostgreSQL's SASLprep normalisation is the identity.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/**
 * Creates each stage login, or updates an existing one: LOGIN with the configured password, no
 * superuser/createdb/createrole/replication/bypassrls, member of its group role. A login that is a
 * member of any other role is refused (it would keep that role's rights after SET ROLE NONE), as
 * is a login named like a group role or the owner itself.
 */
export async function provisionStageLogins(
  ownerUrl: string,
  logins: StageLogins,
  log: Logger,
): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ me: string }>('SELECT current_user AS me');
    const owner = rows[0]!.me;
    const names = STAGES.map((stage) => logins[stage].user);
    for (const stage of STAGES) {
      const { user } = logins[stage];
      if (user === owner || (Object.values(ROLES) as string[]).includes(user)) {
        throw new Error(`the ${stage} login may not be "${user}": it must be a login of its own`);
      }
      if (names.indexOf(user) !== names.lastIndexOf(user)) {
        throw new Error(`login "${user}" is configured for more than one stage: each stage needs its own`);
      }
    }
    for (const stage of STAGES) await provisionOne(client, stage, logins[stage]);
    log.info({ logins: names }, 'stage logins are up to date');
  } finally {
    await client.end();
  }
}

async function provisionOne(client: pg.Client, stage: Stage, login: StageLogin): Promise<void> {
  const role = pg.escapeIdentifier(login.user);
  const group = ROLES[stage];
  const password = pg.escapeLiteral(isAscii(login.password) ? scramVerifier(login.password) : login.password);
  const attributes = `LOGIN INHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${password}`;
  const exists = async () =>
    (await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [login.user])).rowCount === 1;
  if (!(await exists())) {
    // roles are cluster-wide: another migrate may create the same login at the same moment
    await client.query(`CREATE ROLE ${role} ${attributes}`).catch(async (error: { code?: string }) => {
      if (error.code !== '42710' && error.code !== '23505') throw error;
    });
  }
  await client.query(`ALTER ROLE ${role} WITH ${attributes}`);
  await client.query(`GRANT ${pg.escapeIdentifier(group)} TO ${role}`);
  const others = await client.query<{ rolname: string }>(
    `SELECT g.rolname FROM pg_auth_members m
       JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
      WHERE u.rolname = $1 AND g.rolname <> $2 ORDER BY 1`,
    [login.user, group],
  );
  if (others.rowCount) {
    throw new Error(
      `login "${login.user}" (${stage}) is also a member of ${others.rows.map((r) => r.rolname).join(', ')}: revoke that, a stage login must belong to ${group} only`,
    );
  }
}
