/**
 * docs/er_diagram.png shows every table there is: the table list of the committed diagram (its
 * SVG twin, drawn in the same `npm run docs:erd` run) equals the raw and ops tables the migrations
 * create plus one marts table per dbt mart model. A new migration or mart without a redrawn
 * diagram fails here; the fix is `npm run docs:erd` after a full `./run.sh`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

function martModels(): string[] {
  const dir = path.join(PROJECT_ROOT, 'dbt', 'models', 'marts');
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.sql'))
    .map((entry) => `marts.${entry.name.replace(/\.sql$/, '')}`);
}

function diagramTables(): string[] {
  const svg = readFileSync(path.join(PROJECT_ROOT, 'docs', 'er_diagram.svg'), 'utf8');
  return [...svg.matchAll(/font-weight="bold"[^>]*>((?:raw|ops|marts)\.\w+)<\/text>/g)].map((m) => m[1]!);
}

describe('ER diagram', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  it('lists exactly the tables of the migrations and the dbt marts', async () => {
    const { rows } = await db.query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname IN ('raw', 'ops') AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    );
    const expected = [...rows.map((r) => r.name), ...martModels()].sort();
    expect(diagramTables().sort()).toEqual(expected);
  });
});
