/**
 * The GL batches one dbt build reads. The follower commits micro-batches while dbt runs, and
 * every GL model reads the lines through `int_gl_lines__enriched`, a view: without a fixed bound,
 * a mart built a minute after `fct_gl_lines` would hold lines the fact does not, and the
 * reconciliations between them would fail on a race, not on the data. The bound is taken once,
 * before the build, and passed to dbt as the `gl_batch_ceiling` var.
 */
import pg from 'pg';

/**
 * The highest GL batch id below every GL batch still running: each batch up to it has ended, so
 * its lines no longer change. A batch that is running may commit after a later one has (ADR 17),
 * so nothing above the first running batch is taken yet.
 */
const CEILING_SQL = `
  select coalesce(
           min(batch_id) filter (where status = 'running') - 1,
           max(batch_id),
           0
         )::bigint as ceiling
    from ops.ingestion_batches
   where source = 'gl'`;

export async function glBatchCeiling(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  // a lost connection must reject the query, not crash the process with an unhandled 'error'
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ ceiling: string }>(CEILING_SQL);
    return Number(rows[0]?.ceiling ?? 0);
  } finally {
    await client.end().catch(() => undefined);
  }
}
