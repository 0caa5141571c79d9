/**
 * The one comparison of two pipeline databases: per table of `raw` and `marts`, its row count and
 * the sum of every numeric column, plus a checksum of the GL fact ordered by line_id. Two runs of
 * the same ledger (GL_SEED, GL_WELLS, GL_AS_OF) and the same EIA data must fingerprint equal,
 * however often they were interrupted. What legitimately differs between two runs is left out,
 * by name, with its reason:
 * - batch ids (a retried load takes a new batch; `*batch_id*` columns),
 * - time stamps of loading (timestamptz columns, in the GL fact checksum),
 * - the tables that record the runs themselves (below).
 */

export type Query = (sql: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;

/** schema.table → { rows, <numeric column>: sum } as text (exact numeric, no float rounding). */
export type Fingerprint = Record<string, Record<string, string | null>>;

/** Tables whose content records how the runs went, so they differ between any two runs by design. */
export const RUN_DEPENDENT: Record<string, string> = {
  'marts.fct_ingestion_batches': 'one row per load attempt',
  'marts.fct_source_freshness': 'measured at run time',
  'marts.fct_data_quality_checks': 'one row per check per run',
  'raw.eia_responses': 'the EIA response archive records every fetch',
};

const NUMERIC_TYPES = ['numeric', 'integer', 'bigint', 'smallint', 'double precision', 'real'];

const isRunDependentColumn = (column: string) => column.includes('batch_id');

/** Row count and numeric sums of every table (partitioned tables whole, not per partition). */
export async function tableFingerprints(query: Query, schemas: string[]): Promise<Fingerprint> {
  const { rows: tables } = await query(
    `SELECT n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      ORDER BY 1, 2`,
    [schemas],
  );
  const { rows: columns } = await query(
    `SELECT table_schema AS schema, table_name AS name, column_name AS column
       FROM information_schema.columns
      WHERE table_schema = ANY($1) AND data_type = ANY($2)
      ORDER BY table_schema, table_name, column_name`,
    [schemas, NUMERIC_TYPES],
  );
  const result: Fingerprint = {};
  for (const table of tables) {
    const key = `${String(table.schema)}.${String(table.name)}`;
    if (key in RUN_DEPENDENT) continue;
    const sums = columns
      .filter((c) => c.schema === table.schema && c.name === table.name)
      .map((c) => String(c.column))
      .filter((c) => !isRunDependentColumn(c))
      .map((c) => `sum("${c}")::text AS "${c}"`);
    const { rows } = await query(
      `SELECT count(*)::text AS "rows"${sums.map((s) => `, ${s}`).join('')} FROM "${String(table.schema)}"."${String(table.name)}"`,
    );
    result[key] = rows[0] as Record<string, string | null>;
  }
  return result;
}

/**
 * md5 over every GL fact row in line_id order (each row's text without its batch id and load
 * times): equal only when every line carries the same values, not merely the same totals. The
 * row is a ROW(...) value's text (NULL and '' stay distinct), far cheaper than JSON per row.
 */
export async function glFactChecksum(query: Query): Promise<string> {
  const { rows: columns } = await query(
    `SELECT column_name::text AS name FROM information_schema.columns
      WHERE table_schema = 'marts' AND table_name = 'fct_gl_lines'
        AND column_name NOT LIKE '%batch_id%' AND data_type <> 'timestamp with time zone'
      ORDER BY ordinal_position`,
  );
  if (columns.length === 0) return 'no marts.fct_gl_lines';
  const row = columns.map((c) => `"${String(c.name)}"`).join(', ');
  const { rows } = await query(
    `SELECT count(*)::text || ':' || coalesce(md5(string_agg(md5(ROW(${row})::text), '' ORDER BY line_id)), '')
            AS checksum
       FROM marts.fct_gl_lines`,
  );
  return String(rows[0]!.checksum);
}

export interface DatabaseFingerprint {
  tables: Fingerprint;
  glFact: string;
}

export async function databaseFingerprint(query: Query): Promise<DatabaseFingerprint> {
  return { tables: await tableFingerprints(query, ['raw', 'marts']), glFact: await glFactChecksum(query) };
}

/** Every difference between a reference and a candidate, one readable line each (empty: equal). */
export function diffFingerprints(reference: DatabaseFingerprint, candidate: DatabaseFingerprint): string[] {
  const diffs: string[] = [];
  const tables = new Set([...Object.keys(reference.tables), ...Object.keys(candidate.tables)]);
  for (const table of [...tables].sort()) {
    const a = reference.tables[table];
    const b = candidate.tables[table];
    if (!a || !b) {
      diffs.push(`${table}: ${a ? 'missing' : 'unexpected'} in the chaos run`);
      continue;
    }
    for (const column of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[column] !== b[column])
        diffs.push(`${table}.${column}: reference ${a[column] ?? 'null'}, chaos ${b[column] ?? 'null'}`);
    }
  }
  if (reference.glFact !== candidate.glFact)
    diffs.push(`marts.fct_gl_lines checksum: reference ${reference.glFact}, chaos ${candidate.glFact}`);
  return diffs;
}
