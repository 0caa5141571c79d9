/**
 * The committed ER diagram is the one the generator draws today: its tables and their columns are
 * regenerated from the migrations (raw, ops on a freshly migrated database) and the dbt manifest
 * (marts) and compared with docs/er_diagram.svg. When this fails, run `npm run docs:erd` and
 * commit docs/er_diagram.png and .svg.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { ERD_FILE, erdModel, parseDbtManifest, tablesInModel, tablesInSvg } from '../../database/src/erd.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

const log = createLogger('erd-test', { level: 'warn' });
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db?.drop());

// The schema is the same on every server; one project is enough for a dbt parse.
describe.runIf(inject('projectName') === 'embedded')('ER diagram', () => {
  it('draws exactly the tables and columns of raw, ops and marts', async () => {
    const model = await erdModel(db.url, await parseDbtManifest(db.url, log));
    const expected = tablesInModel(model.columns);
    const committed = tablesInSvg(await readFile(ERD_FILE.replace(/\.png$/, '.svg'), 'utf8'));
    const schemas = new Set([...expected.keys()].map((t) => t.split('.')[0]));
    expect([...schemas].sort()).toEqual(['marts', 'ops', 'raw']);
    expect([...committed.keys()].sort(), 'tables: run `npm run docs:erd`').toEqual(
      [...expected.keys()].sort(),
    );
    expect(Object.fromEntries(committed), 'columns: run `npm run docs:erd`').toEqual(
      Object.fromEntries(expected),
    );
  });
});
