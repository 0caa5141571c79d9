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
  function* encodeSync(source: Iterable<readonly CopyValue[]>) {
    for (const row of source) yield encodeRow(row);
  }
  async function* encodeAsync(source: AsyncIterable<readonly CopyValue[]>) {
    for await (const row of source) yield encodeRow(row);
  }
  return copyEncoded(client, table, columns, isAsync(rows) ? encodeAsync(rows) : encodeSync(rows));
}

function isAsync<T>(source: Iterable<T> | AsyncIterable<T>): source is AsyncIterable<T> {
  return Symbol.asyncIterator in source;
}

// Batch small rows into ~64 KiB chunks: one write per row costs more than the encoding. A
// synchronous source is batched synchronously: `for await` over it would cost a promise per row.
function* batchSync(lines: Iterable<string>): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= 65536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function* batchAsync(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let chunk = '';
  for await (const line of lines) {
    chunk += line;
    if (chunk.length >= 65536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/**
 * COPYs rows already encoded in the text format (each ending with a newline), for callers that
 * encode faster than value by value; returns the number of rows the server reports.
 */
export async function copyEncoded(
  client: pg.PoolClient,
  table: string,
  columns: readonly string[],
  lines: Iterable<string> | AsyncIterable<string>,
): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(isAsync(lines) ? batchAsync(lines) : batchSync(lines)), stream);
  return stream.rowCount;
}
