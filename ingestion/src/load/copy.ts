/**
 * Bulk loading through COPY ... FROM STDIN (text format), the fastest way into PostgreSQL.
 * Rows are encoded here rather than by a CSV library because the text format is tiny and
 * its escaping rules are exact: backslash, tab, newline and carriage return, NULL as \N.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

export type CopyValue = string | number | boolean | null | undefined;

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function encodeValue(value: CopyValue): string {
  if (value === null || value === undefined) return '\\N';
  const text = String(value);
  return /[\\\t\n\r]/.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]!) : text;
}

export function encodeRow(values: readonly CopyValue[]): string {
  return values.map(encodeValue).join('\t') + '\n';
}

/** COPYs rows into `table(columns)`; returns the number of rows the server reports. */
export async function copyRows(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]> | AsyncIterable<readonly CopyValue[]>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  async function* encode() {
    // Batch small rows into ~64 KiB chunks: one write per row costs more than the encoding.
    let chunk = '';
    for await (const row of rows) {
      chunk += encodeRow(row);
      if (chunk.length >= 65536) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(encode()), stream);
  return stream.rowCount;
}
