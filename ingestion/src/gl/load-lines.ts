/**
 * Exactly-once loading of GL lines. One chunk = one batch = one transaction:
 *   COPY the valid lines into a temporary table, classify them against raw.gl_lines set-wise
 *   (new / unchanged / revised), insert the new ones with ON CONFLICT DO NOTHING, quarantine the
 *   rejected and the revised, run the caller's commit hook (watermark or stream cursor) and
 *   finish the batch, all before COMMIT. A crash anywhere leaves all of the chunk or none of it.
 */
import type pg from 'pg';
import type { Logger } from '../../../core/logger.ts';
import { compilableName } from '../../../contracts/gl-line-json.ts';
import { withTransaction } from '../../../database/src/connection.ts';
import { failBatch, finishBatch, startBatch, type BatchCounts } from '../load/batches.ts';
import { copyEncoded, encodeRow, type CopyValue } from '../load/copy.ts';
import { quarantine, type QuarantinedRecord } from '../load/quarantine.ts';
import { GL_LINE_FIELDS } from './canonical.ts';

/**
 * A validated line as the loader keeps it: its fields and hash in COPY text format,
 * tab-separated, without the newline. One flat string per line rather than the parsed object, so
 * a chunk of 50 000 lines is cheap to hold and to garbage-collect.
 */
export type PreparedLine = string;

/**
 * The COPY text of a line. JSON escapes every backslash, tab, newline and carriage return with
 * a backslash, so when the canonical JSON holds no backslash no value needs COPY escaping and
 * the fields are joined as they are (the common case, several times faster than value-by-value).
 */
export function encodeLine(record: Record<string, unknown>, hash: string, canonicalJson: string): string {
  if (canonicalJson.includes('\\')) {
    const values: CopyValue[] = GL_LINE_FIELDS.map((f) => record[f] as CopyValue);
    values.push(hash);
    return encodeRow(values).slice(0, -1);
  }
  return joinPlain(record, hash);
}

/**
 * The fields and the hash tab-separated, null as \N, without escaping, joined from an array
 * literal compiled from the contract's field list: no lookup of a field by a computed name, and
 * one flat string (a concatenation would leave a rope of 40 pieces per line for the GC to trace
 * as long as the chunk is held, which measured four times slower). The generated source holds
 * only the contract's field names, each checked by compilableName.
 */
const joinPlain = new Function(
  `return function joinPlain(v, hash) {
    return [${GL_LINE_FIELDS.map((f) => `v.${compilableName(f)} ?? '\\\\N'`).join(', ')}, hash].join('\\t');
  };`,
)() as (record: Record<string, unknown>, hash: string) => string;

export interface LineChunk {
  /** Valid lines, at most one per line_id. */
  lines: PreparedLine[];
  /** Smallest and largest posting date of `lines` (undefined when there are none). */
  minDate: string | undefined;
  maxDate: string | undefined;
  /** Records rejected before loading (malformed, schema failures, in-chunk conflicts). */
  rejected: QuarantinedRecord[];
  /** Records received (valid + rejected + in-chunk duplicates). */
  received: number;
  /** In-chunk exact duplicates, counted unchanged. */
  duplicates: number;
}

export interface ChunkResult extends BatchCounts {
  batchId: number;
}

const TEMP_COLUMNS = [...GL_LINE_FIELDS, 'payload_hash'];
const DIRECT_COLUMNS = [...GL_LINE_FIELDS, 'payload_hash', 'batch_id'];
const RAW_COLUMNS = GL_LINE_FIELDS.join(', ');

/**
 * The staging table holds the values as received (text): the INSERT casts them, and a revised
 * line's payload is rebuilt from it exactly as it arrived, so the loader need not keep the parsed
 * lines in memory.
 */
const TEMP_DDL = `CREATE TEMP TABLE gl_incoming (${GL_LINE_FIELDS.map((f) => `${f} ${f === 'line_no' ? 'integer' : 'text'}`).join(', ')}, payload_hash text) ON COMMIT DROP`;

const CASTS: Partial<Record<string, string>> = {
  posting_date: 'date',
  debit: 'numeric',
  credit: 'numeric',
  volume: 'numeric',
  unit_price: 'numeric',
};
const CAST_COLUMNS = GL_LINE_FIELDS.map((f) => (CASTS[f] ? `t.${f}::${CASTS[f]}` : `t.${f}`)).join(', ');
const PAYLOAD_JSON = `json_build_object(${GL_LINE_FIELDS.map((f) => `'${f}', t.${f}`).join(', ')})`;

/**
 * One statement classifies and inserts: `known` holds the incoming lines whose line_id is already
 * stored, with whether the stored hash is the same; every other line is inserted. ON CONFLICT DO
 * NOTHING covers a concurrent loader that inserted the same line first.
 *
 * The lookup is limited to the chunk's posting-date span ($2..$3) so that it reads only the
 * partitions the chunk touches (a chunk spans days, raw holds years): a line_id re-served with a
 * posting date outside that span would not be seen here (the dbt uniqueness test on line_id
 * reports it). Planned as a hash join over those partitions: no per-row queries.
 */
const MERGE_SQL = `
WITH known AS MATERIALIZED (
  SELECT t.line_id, t.payload_hash AS received_hash, g.payload_hash AS stored_hash,
         CASE WHEN g.payload_hash <> t.payload_hash THEN ${PAYLOAD_JSON} END AS payload
    FROM gl_incoming t
    JOIN raw.gl_lines g ON g.line_id = t.line_id AND g.posting_date BETWEEN $2::date AND $3::date
), inserted AS (
  INSERT INTO raw.gl_lines (${RAW_COLUMNS}, payload_hash, batch_id)
  SELECT ${CAST_COLUMNS}, t.payload_hash, $1
    FROM gl_incoming t
   WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.line_id = t.line_id)
  ON CONFLICT DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*) FROM inserted)::int AS inserted,
       (SELECT coalesce(json_agg(json_build_object('line_id', line_id, 'stored', stored_hash,
                                                   'received', received_hash, 'payload', payload)), '[]')
          FROM known WHERE stored_hash <> received_hash) AS revised`;

/** Per database (pool): months whose partitions this process already ensured. */
const ensuredMonths = new WeakMap<pg.Pool, Set<string>>();

export async function ensurePartitions(pool: pg.Pool, min: string, max: string): Promise<void> {
  let ensured = ensuredMonths.get(pool);
  if (!ensured) ensuredMonths.set(pool, (ensured = new Set()));
  const months: string[] = [];
  for (let month = min.slice(0, 7); month <= max.slice(0, 7); month = nextMonth(month)) months.push(month);
  if (months.every((m) => ensured.has(m))) return;
  // Its own short transaction: the function serializes creators with a transaction-level lock,
  // which must not be held for the length of a load. Empty partitions are harmless if the load fails.
  await pool.query('SELECT raw.ensure_gl_partitions($1::date, $2::date)', [min, max]);
  for (const month of months) ensured.add(month);
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** The lines as COPY text, each followed by `suffix`, in blocks of 256 lines joined at once. */
function* eachLine(lines: readonly PreparedLine[], suffix: string): Generator<string> {
  for (let i = 0; i < lines.length; i += 256) yield lines.slice(i, i + 256).join(suffix) + suffix;
}

/**
 * Fast path for the common case of a first load: when raw holds no line at all in the chunk's
 * posting-date span, nothing in the chunk can be known, so it is COPYed straight into
 * raw.gl_lines (what psql \copy does). A concurrent loader that inserted one of the lines in the
 * meantime makes the COPY fail on the primary key: the savepoint is rolled back and the chunk
 * takes the temp-table path. Returns the rows inserted, or undefined when the fast path is not open.
 */
async function copyDirect(
  client: pg.PoolClient,
  lines: readonly PreparedLine[],
  batchId: number,
  min: string,
  max: string,
): Promise<number | undefined> {
  const { rows } = await client.query<{ present: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM raw.gl_lines WHERE posting_date BETWEEN $1::date AND $2::date) AS present`,
    [min, max],
  );
  if (rows[0]!.present) return undefined;
  await client.query('SAVEPOINT gl_direct');
  try {
    const suffix = `\t${batchId}\n`;
    const count = await copyEncoded(client, 'raw.gl_lines', DIRECT_COLUMNS, eachLine(lines, suffix));
    await client.query('RELEASE SAVEPOINT gl_direct');
    return count;
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error;
    await client.query('ROLLBACK TO SAVEPOINT gl_direct');
    return undefined;
  }
}

export interface LoadOptions {
  entity: string;
  log?: Logger;
  params?: object;
  /** Runs inside the transaction before COMMIT: advance the watermark or the stream cursor. */
  onCommit?: (client: pg.PoolClient, batchId: number) => Promise<void>;
  /** Test hook: runs inside the transaction after the rows are written, before onCommit. */
  beforeCommit?: () => Promise<void>;
}

export async function loadLineChunk(
  pool: pg.Pool,
  chunk: LineChunk,
  options: LoadOptions,
): Promise<ChunkResult> {
  const batchId = await startBatch(pool, 'gl', options.entity, options.params ?? {});
  try {
    if (chunk.minDate !== undefined && chunk.maxDate !== undefined) {
      await ensurePartitions(pool, chunk.minDate, chunk.maxDate);
    }
    return await withTransaction(pool, async (client) => {
      let inserted = 0;
      let timings: { path: string; copyMs: number; mergeMs: number } | undefined;
      let revisedRows: Array<{ line_id: string; stored: string; received: string; payload: unknown }> = [];
      const revised: QuarantinedRecord[] = [];
      if (chunk.lines.length > 0) {
        const min = chunk.minDate!;
        const max = chunk.maxDate!;
        const t0 = performance.now();
        // JIT compilation costs more than it saves on statements of this size
        await client.query(`SET LOCAL jit = off`);
        const direct = await copyDirect(client, chunk.lines, batchId, min, max);
        if (direct !== undefined) {
          inserted = direct;
          timings = { path: 'direct', copyMs: Math.round(performance.now() - t0), mergeMs: 0 };
        } else {
          await client.query(TEMP_DDL);
          await copyEncoded(client, 'gl_incoming', TEMP_COLUMNS, eachLine(chunk.lines, '\n'));
          const t1 = performance.now();
          const { rows } = await client.query<{
            inserted: number;
            revised: Array<{ line_id: string; stored: string; received: string; payload: unknown }>;
          }>(MERGE_SQL, [batchId, min, max]);
          timings = {
            path: 'merge',
            copyMs: Math.round(t1 - t0),
            mergeMs: Math.round(performance.now() - t1),
          };
          inserted = rows[0]!.inserted;
          revisedRows = rows[0]!.revised;
        }
        if (revisedRows.length > 0) {
          const seen = new Set<string>();
          for (const r of revisedRows) {
            if (seen.has(r.line_id)) continue;
            seen.add(r.line_id);
            revised.push({
              recordKey: r.line_id,
              reason: `revised: line ${r.line_id} is already loaded with another payload (stored hash ${r.stored}, received ${r.received}); posted lines are immutable`,
              payload: r.payload,
            });
          }
        }
      }
      const quarantined = [...chunk.rejected, ...revised];
      await quarantine(client, batchId, 'gl', options.entity, quarantined);
      const counts: BatchCounts = {
        received: chunk.received,
        inserted,
        // lines neither inserted nor revised were already stored with the same hash
        unchanged: chunk.lines.length - inserted - revised.length + chunk.duplicates,
        revised: revised.length,
        quarantined: quarantined.length,
      };
      await options.beforeCommit?.();
      await options.onCommit?.(client, batchId);
      await finishBatch(client, batchId, counts);
      options.log?.debug({ batchId, entity: options.entity, ...counts, ...timings }, 'GL chunk loaded');
      return { batchId, ...counts };
    });
  } catch (error) {
    await failBatch(pool, batchId, error).catch(() => undefined);
    throw error;
  }
}
