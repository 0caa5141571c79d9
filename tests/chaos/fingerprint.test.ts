/**
 * The chaos harness's comparison (chaos/fingerprint.ts) on a real database: what differs between
 * two runs by design (batch ids, load times) is ignored, and a change that keeps every total the
 * same (one cent moved between two GL lines) is still caught by the GL fact checksum.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFingerprint, diffFingerprints } from '../../chaos/fingerprint.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

let db: TestDatabase;
const fingerprint = () => databaseFingerprint(db.query);

describe('chaos fingerprint', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query(
      `CREATE TABLE marts.fct_gl_lines (line_id text PRIMARY KEY, debit numeric(14, 2), credit numeric(14, 2),
                                        batch_id bigint, loaded_at timestamptz)`,
    );
    await db.query(
      `INSERT INTO marts.fct_gl_lines VALUES ('GL-1', 10.00, 0, 1, now()), ('GL-2', 0, 10.00, 1, now()),
                                             ('GL-3', 5.25, 0, 2, now())`,
    );
  });
  afterAll(async () => db?.drop());

  it('ignores batch ids and load times; counts every table of raw and marts', async () => {
    const before = await fingerprint();
    expect(before.tables['marts.fct_gl_lines']).toEqual({ rows: '3', debit: '15.25', credit: '10.00' });
    expect(before.tables['raw.gl_lines']).toMatchObject({ rows: '0' });
    expect(before.glFact).toMatch(/^3:[0-9a-f]{32}$/);
    await db.query(
      `UPDATE marts.fct_gl_lines SET batch_id = batch_id + 7, loaded_at = now() + interval '1 day'`,
    );
    expect(diffFingerprints(before, await fingerprint())).toEqual([]);
  });

  it('catches a moved cent that leaves every sum equal, and a lost row', async () => {
    const before = await fingerprint();
    await db.query(`UPDATE marts.fct_gl_lines SET debit = debit + 0.01 WHERE line_id = 'GL-1'`);
    await db.query(`UPDATE marts.fct_gl_lines SET debit = debit - 0.01 WHERE line_id = 'GL-3'`);
    const moved = await fingerprint();
    expect(moved.tables).toEqual(before.tables);
    expect(diffFingerprints(before, moved)).toEqual([expect.stringContaining('fct_gl_lines checksum')]);
    await db.query(`DELETE FROM marts.fct_gl_lines WHERE line_id = 'GL-2'`);
    expect(diffFingerprints(before, await fingerprint())).toEqual(
      expect.arrayContaining([
        'marts.fct_gl_lines.rows: reference 3, chaos 2',
        'marts.fct_gl_lines.credit: reference 10.00, chaos 0.00',
      ]),
    );
  });
});
