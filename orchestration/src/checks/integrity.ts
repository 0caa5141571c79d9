/**
 * Integrity checks (error severity: a failure blocks the report and fails the run).
 * - every GL journal in raw balances (sum of debits = sum of credits);
 * - service → raw: every succeeded GL batch holds exactly the lines it reported inserting;
 * - raw → marts: the GL fact holds exactly raw's lines, count and sums of debit and credit to the
 *   cent, over the batches the fact has taken in (later ones are pending, not missing).
 */
import type pg from 'pg';
import type { CheckResult } from './result.ts';

type Db = Pick<pg.Pool, 'query'>;

async function relationExists(db: Db, name: string): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>(`SELECT to_regclass($1) IS NOT NULL AS ok`, [name]);
  return rows[0]!.ok;
}

export async function journalsBalance(db: Db): Promise<CheckResult> {
  const { rows } = await db.query<{ journals: string; sample: string[] | null; diff: string | null }>(
    `SELECT count(*)::text AS journals, (array_agg(journal_id ORDER BY journal_id))[1:5] AS sample,
            sum(abs(diff))::text AS diff
       FROM (SELECT journal_id, sum(debit) - sum(credit) AS diff
               FROM raw.gl_lines GROUP BY journal_id HAVING sum(debit) <> sum(credit)) unbalanced`,
  );
  const n = Number(rows[0]!.journals);
  return {
    name: 'integrity:gl.journals_balance',
    severity: 'error',
    status: n === 0 ? 'pass' : 'fail',
    observed: n,
    threshold: 0,
    details: {
      message:
        n === 0 ? 'every journal in raw.gl_lines balances' : `${n} journal(s) in raw.gl_lines do not balance`,
      sample: rows[0]!.sample ?? [],
      imbalance: rows[0]!.diff ?? '0',
    },
  };
}

export async function serviceToRaw(db: Db): Promise<CheckResult> {
  const { rows } = await db.query<{ batch_id: string; reported: number; stored: number }>(
    `SELECT b.batch_id::text, b.rows_inserted AS reported, count(l.line_id)::int AS stored
       FROM ops.ingestion_batches b
       LEFT JOIN raw.gl_lines l ON l.batch_id = b.batch_id
      WHERE b.source = 'gl' AND b.entity IN ('lines', 'stream') AND b.status = 'succeeded'
      GROUP BY b.batch_id, b.rows_inserted
     HAVING b.rows_inserted <> count(l.line_id)
      ORDER BY b.batch_id LIMIT 20`,
  );
  return {
    name: 'reconcile:gl.service_to_raw',
    severity: 'error',
    status: rows.length === 0 ? 'pass' : 'fail',
    observed: rows.length,
    threshold: 0,
    details: {
      message:
        rows.length === 0
          ? 'every succeeded GL batch holds the lines it loaded'
          : `${rows.length} GL batch(es) hold a different number of lines than they loaded`,
      batches: rows,
    },
  };
}

interface Totals {
  lines: string;
  debit: string;
  credit: string;
}

export async function rawToMarts(db: Db): Promise<CheckResult | undefined> {
  if (!(await relationExists(db, 'marts.fct_gl_lines'))) return undefined;
  const fact = (
    await db.query<Totals & { max_batch: string | null }>(
      `SELECT count(*)::text AS lines, coalesce(sum(debit), 0)::text AS debit,
              coalesce(sum(credit), 0)::text AS credit, max(batch_id)::text AS max_batch
         FROM marts.fct_gl_lines`,
    )
  ).rows[0]!;
  const through = fact.max_batch ?? '0';
  const raw = (
    await db.query<Totals & { pending: string }>(
      `SELECT count(*) FILTER (WHERE batch_id <= $1)::text AS lines,
              coalesce(sum(debit) FILTER (WHERE batch_id <= $1), 0)::text AS debit,
              coalesce(sum(credit) FILTER (WHERE batch_id <= $1), 0)::text AS credit,
              count(*) FILTER (WHERE batch_id > $1)::text AS pending
         FROM raw.gl_lines`,
      [through],
    )
  ).rows[0]!;
  const equal = raw.lines === fact.lines && raw.debit === fact.debit && raw.credit === fact.credit;
  return {
    name: 'reconcile:gl.raw_to_marts',
    severity: 'error',
    status: equal ? 'pass' : 'fail',
    observed: Number(raw.lines) - Number(fact.lines),
    threshold: 0,
    details: {
      message: equal
        ? `marts.fct_gl_lines equals raw.gl_lines: ${fact.lines} lines, debit ${fact.debit}, credit ${fact.credit}`
        : `marts.fct_gl_lines (${fact.lines} lines, debit ${fact.debit}, credit ${fact.credit}) differs from raw.gl_lines (${raw.lines} lines, debit ${raw.debit}, credit ${raw.credit})`,
      through_batch: through,
      raw: { lines: raw.lines, debit: raw.debit, credit: raw.credit },
      marts: { lines: fact.lines, debit: fact.debit, credit: fact.credit },
      pending_lines: Number(raw.pending),
    },
  };
}
