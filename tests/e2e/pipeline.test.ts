/**
 * The data path end to end, with nothing faked: the real GL service and the EIA replay of the
 * real EIA files on 127.0.0.1, the real loaders into a database of this file's own, then dbt.
 * GL_AS_OF is pinned inside the replayed data (prices to 2026-08, state production to 2024-01)
 * so every mart has rows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createPool, ROLES } from '../../database/src/connection.ts';
import { ingestEia } from '../../ingestion/src/eia/index.ts';
import { ingestGl } from '../../ingestion/src/gl/index.ts';
import type { TransformResult } from '../../orchestration/src/transform/index.ts';
import { AS_OF, startPipelineSources, type PipelineSources } from '../helpers/pipeline.ts';

const log = createLogger('e2e', { level: process.env.LOG_LEVEL ?? 'silent' });

let sources: PipelineSources;
let db: PipelineSources['db'];
let built: TransformResult;

async function ingestEverything() {
  const { loader, eia: client } = sources;
  const eia = (await ingestEia({ pool: loader, client: client!, log }, { from: '2022-01-01', to: AS_OF }))
    .details.series;
  const gl = (await ingestGl({ pool: loader, log }, { gl: sources.gl, mode: { kind: 'incremental' } }))
    .details;
  return { eia, gl };
}

const totals = (relation: string) =>
  db
    .query<{ lines: string; debit: string; credit: string }>(
      `SELECT count(*)::text AS lines, sum(debit)::text AS debit, sum(credit)::text AS credit FROM ${relation}`,
    )
    .then((r) => r.rows[0]!);

beforeAll(async () => {
  sources = await startPipelineSources({ log, wells: 12, replay: true });
  db = sources.db;
});

afterAll(() => sources?.close());

describe('pipeline end to end', () => {
  it('ingests every EIA series and the GL history', async () => {
    const { eia, gl } = await ingestEverything();
    expect(eia.filter((o) => o.status !== 'succeeded')).toEqual([]);
    expect(eia.every((o) => (o.counts?.inserted ?? 0) > 0)).toBe(true);
    expect(gl.lines.inserted).toBeGreaterThan(10_000);
    expect(gl.lines.quarantined).toBe(0);
  });

  it('a second ingestion changes nothing', async () => {
    const before = await totals('raw.gl_lines');
    const { eia, gl } = await ingestEverything();
    expect(eia.reduce((n, o) => n + (o.counts?.inserted ?? 0) + (o.counts?.revised ?? 0), 0)).toBe(0);
    expect(gl.lines.inserted).toBe(0);
    expect(await totals('raw.gl_lines')).toEqual(before);
  });

  it('dbt builds every model and passes every test', async () => {
    built = await sources.transform();
    expect(built.build.problems).toEqual([]);
    expect(built.ok).toBe(true);
    // a full dbt build with tests: minutes, not seconds, on a 2-core machine shared with other suites
  }, 600_000);

  it('every mart has rows, readable by the reporting role', async () => {
    const { rows: marts } = await db.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'marts' ORDER BY 1`,
    );
    expect(marts.length).toBeGreaterThanOrEqual(10);
    const reporting = createPool(db.url, { role: ROLES.reporting, max: 1 });
    try {
      const empty: string[] = [];
      for (const { name } of marts) {
        const { rows } = await reporting.query(`SELECT count(*)::int AS n FROM marts.${name}`);
        if (rows[0].n === 0) empty.push(name);
      }
      expect(empty).toEqual([]);
    } finally {
      await reporting.end();
    }
  });

  it('reconciles raw GL lines with the GL fact to the cent', async () => {
    expect(await totals('marts.fct_gl_lines')).toEqual(await totals('raw.gl_lines'));
  });
});
