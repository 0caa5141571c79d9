/**
 * The default pipeline tells the truth about the business, measured on the marts: the real GL
 * service priced off the EIA deck and the EIA replay, the real loaders, dbt, with GL_AS_OF at the
 * last day every replayed dataset covers (state production ends 2024-01, so 2024-01-31). In every
 * basin realized oil follows WTI (correlation >= 0.9 over the complete months), LOE, netback and
 * DD&A per BOE sit inside the ranges of docs/economics.md, partial months are flagged, and the
 * complete months of production vs EIA are not pending.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASINS } from '../../api/src/domain/basins.ts';
import { PROJECT_ROOT } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { ingestEia } from '../../ingestion/src/eia/index.ts';
import { ingestGl } from '../../ingestion/src/gl/index.ts';
import type { TransformResult } from '../../orchestration/src/transform/index.ts';
import { AS_OF, EIA_DIR, startPipelineSources, type PipelineSources } from '../helpers/pipeline.ts';

const log = createLogger('realism', { level: process.env.LOG_LEVEL ?? 'silent' });

let sources: PipelineSources;
let db: PipelineSources['db'];
let built: TransformResult;

/** "| basin | LOE | netback | DD&A | decline |" rows of docs/economics.md, by basin name. */
function statedRanges(): Map<string, { loe: number[]; netback: number[]; dda: number[] }> {
  const text = readFileSync(path.join(PROJECT_ROOT, 'docs', 'economics.md'), 'utf8');
  const section = text.slice(text.indexOf('## Results the ledger must show'));
  const out = new Map<string, { loe: number[]; netback: number[]; dda: number[] }>();
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim()).filter(Boolean);
    const basin = BASINS.find((b) => b.id === cells[0]);
    if (!basin || cells.length !== 5) continue;
    const range = (cell: string) => cell.split('–').map(Number);
    out.set(basin.name, { loe: range(cells[1]!), netback: range(cells[2]!), dda: range(cells[3]!) });
  }
  return out;
}

describe.runIf(existsSync(EIA_DIR))('the default pipeline, measured on the marts', () => {
  beforeAll(async () => {
    sources = await startPipelineSources({ log, wells: 150, priceDeckDir: EIA_DIR, replay: true });
    db = sources.db;
    await ingestEia({ pool: sources.loader, client: sources.eia!, log }, { from: '2022-01-01', to: AS_OF });
    await ingestGl({ pool: sources.loader, log }, { gl: sources.gl, mode: { kind: 'incremental' } });
    built = await sources.transform();
  }, 900_000);

  afterAll(() => sources?.close());

  it('builds green', () => {
    expect(built.build.problems).toEqual([]);
    expect(built.ok).toBe(true);
  });

  it('flags the partial months at both ends of the window and keeps the months in between', async () => {
    const { rows } = await db.query<{ month: string; complete: boolean }>(
      `SELECT to_char(accounting_month, 'YYYY-MM') AS month, is_complete_month AS complete
         FROM marts.fct_month_completeness ORDER BY 1`,
    );
    const complete = rows.filter((r) => r.complete).map((r) => r.month);
    expect(rows[0]).toEqual({ month: '2023-01', complete: false });
    expect(complete).toEqual(['2023-02', '2023-03', '2023-04', '2023-05', '2023-06', '2023-07', '2023-08', '2023-09', '2023-10', '2023-11']);
  });

  it('realized oil follows WTI in every oil basin (correlation >= 0.9 over the complete months)', async () => {
    const { rows } = await db.query<{ basin: string; r: number; n: number }>(
      `SELECT basin, corr(realized_price, benchmark_price)::float8 AS r, count(*)::int AS n
         FROM marts.fct_realized_prices
        WHERE product = 'oil' AND is_complete_month AND benchmark_status = 'available'
        GROUP BY basin ORDER BY basin`,
    );
    const oilBasins = BASINS.filter((b) => b.economics.oilDifferential[1] !== 0).map((b) => b.name).sort();
    expect(rows.map((r) => r.basin)).toEqual(oilBasins);
    for (const row of rows) {
      expect(row.n, row.basin).toBe(10);
      expect(row.r, row.basin).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('puts every basin inside the stated LOE, netback and DD&A ranges (complete months)', async () => {
    const ranges = statedRanges();
    const { rows } = await db.query<{ basin: string; loe: number; netback: number; dda: number }>(
      `SELECT basin, (sum(loe) / sum(net_boe))::float8 AS loe, (sum(netback) / sum(net_boe))::float8 AS netback,
              (sum(dda) / sum(net_boe))::float8 AS dda
         FROM marts.fct_well_pnl_monthly WHERE is_complete_month GROUP BY basin ORDER BY basin`,
    );
    expect(rows.length).toBe(BASINS.length);
    const outside: string[] = [];
    for (const row of rows) {
      const want = ranges.get(row.basin)!;
      for (const key of ['loe', 'netback', 'dda'] as const) {
        const [lo, hi] = want[key];
        if (!(row[key] >= lo! && row[key] <= hi!)) outside.push(`${row.basin} ${key} ${row[key].toFixed(2)} not in ${lo}-${hi}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('compares gross production with EIA: the complete months are available, not pending', async () => {
    const { rows } = await db.query<{ status: string; n: number }>(
      `SELECT eia_status AS status, count(*)::int AS n FROM marts.fct_production_vs_eia
        WHERE is_complete_month GROUP BY 1`,
    );
    expect(rows).toEqual([{ status: 'available', n: expect.any(Number) }]);
    const { rows: share } = await db.query<{ ok: boolean }>(
      `SELECT bool_and(gross_oil_bbl > company_oil_bbl AND company_share_of_eia > 0) AS ok
         FROM marts.fct_production_vs_eia WHERE is_complete_month`,
    );
    expect(share[0]!.ok).toBe(true);
  });
});
