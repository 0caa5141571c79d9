/**
 * `pipeline report` on marts built from the real GL service and the real EIA files: every KPI in
 * the workbook (cell values read back) and in the PDF (pdftotext) equals SQL run directly on the
 * marts, to the cent; the workbook has native charts bound to ranges, passes openxml-audit and
 * opens in LibreOffice; the PDF has 2-4 pages; same marts, same numbers.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Workbook } from '@cj-tech-master/excelts';
import { installChartSupport } from '@cj-tech-master/excelts/chart';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiExact } from '../../reports/src/format.ts';
import type { KpiId, KpiUnit } from '../../reports/src/model.ts';
import { AS_OF, buildMarts, pipeline, type CliResult, type Marts } from './marts.ts';

const run = promisify(execFile);
// reading a workbook with charts needs the chart runtime, as writing it does
installChartSupport();

let marts: Marts;
let out: string;
let first: CliResult;
let workbook: Workbook;
let pdfText: string;

/** The complete months of a ledger whose history runs 2023-01-31 .. 2024-01-30 (GL_AS_OF - 365 days .. the day before). */
const LATEST_COMPLETE = '2023-11-01';
const PRIOR = '2023-10-01';

/** Every KPI straight from the marts, for a month: the definitions in reports/README.md. */
function kpiSql(id: KpiId): string {
  const pnl = (expr: string) =>
    `SELECT ${expr} AS v FROM marts.fct_well_pnl_monthly WHERE activity_month = $1::date`;
  const price = (product: string, expr: string) =>
    `SELECT ${expr} AS v FROM marts.fct_realized_prices WHERE production_month = $1::date AND product = '${product}'`;
  const days = `extract(day from $1::date + interval '1 month - 1 day')`;
  switch (id) {
    case 'boe_per_day':
      return pnl(`round(sum(net_boe) / ${days}, 2)`);
    case 'oil_bbl_per_day':
      return pnl(`round(sum(oil_bbl) / ${days}, 2)`);
    case 'gas_mcf_per_day':
      return pnl(`round(sum(gas_mcf) / ${days}, 2)`);
    case 'net_revenue':
      return pnl('sum(net_revenue)');
    case 'loe_per_boe':
      return pnl('round(sum(loe) / sum(net_boe), 2)');
    case 'netback_per_boe':
      return pnl('round(sum(net_revenue - production_taxes - transportation - loe) / sum(net_boe), 2)');
    case 'realized_oil':
      return price('oil', 'round(sum(net_revenue) / sum(net_volume), 2)');
    case 'wti':
      return price('oil', 'round(max(benchmark_price), 2)');
    case 'oil_differential':
      return price('oil', 'round(sum(net_revenue) / sum(net_volume) - max(benchmark_price), 2)');
    case 'realized_gas':
      return price('gas', 'round(sum(net_revenue) / sum(net_volume), 2)');
    case 'henry_hub':
      return price('gas', 'round(max(benchmark_price), 2)');
    case 'gas_differential':
      return price('gas', 'round(sum(net_revenue) / sum(net_volume) - max(benchmark_price), 2)');
    case 'afe_gross_budget':
      return 'SELECT sum(gross_budget) AS v FROM marts.fct_afe_spend WHERE $1::date IS NOT NULL';
    case 'afe_gross_spend':
      return 'SELECT sum(gross_spend) AS v FROM marts.fct_afe_spend WHERE $1::date IS NOT NULL';
    case 'afe_spend_pct_of_budget':
      return 'SELECT round(sum(gross_spend) / sum(gross_budget) * 100, 2) AS v FROM marts.fct_afe_spend WHERE $1::date IS NOT NULL';
    case 'jib_billed':
      return 'SELECT coalesce(sum(billed_amount), 0) AS v FROM marts.fct_jib_billing WHERE billing_month = $1::date';
    case 'jib_open':
      return `SELECT coalesce(sum(debit - credit), 0) AS v FROM marts.fct_gl_lines
              WHERE account_category = 'ar_jib' AND posting_date < $1::date + interval '1 month'`;
  }
}

const KPIS: Array<{ id: KpiId; label: string; unit: KpiUnit; monthly: boolean }> = [
  { id: 'boe_per_day', label: 'Net production', unit: 'boe_per_day', monthly: true },
  { id: 'oil_bbl_per_day', label: 'Net oil production', unit: 'bbl_per_day', monthly: true },
  { id: 'gas_mcf_per_day', label: 'Net gas production', unit: 'mcf_per_day', monthly: true },
  { id: 'net_revenue', label: 'Net revenue', unit: 'usd', monthly: true },
  { id: 'loe_per_boe', label: 'LOE per BOE', unit: 'usd_per_boe', monthly: true },
  { id: 'netback_per_boe', label: 'Netback per BOE', unit: 'usd_per_boe', monthly: true },
  { id: 'realized_oil', label: 'Realized oil price', unit: 'usd_per_bbl', monthly: true },
  { id: 'wti', label: 'WTI Cushing (average)', unit: 'usd_per_bbl', monthly: true },
  { id: 'oil_differential', label: 'Oil differential vs WTI', unit: 'usd_per_bbl', monthly: true },
  { id: 'realized_gas', label: 'Realized gas price', unit: 'usd_per_mcf', monthly: true },
  { id: 'henry_hub', label: 'Henry Hub (average)', unit: 'usd_per_mcf', monthly: true },
  { id: 'gas_differential', label: 'Gas differential vs Henry Hub', unit: 'usd_per_mcf', monthly: true },
  { id: 'afe_gross_budget', label: 'AFE gross budget', unit: 'usd', monthly: false },
  { id: 'afe_gross_spend', label: 'AFE gross spend', unit: 'usd', monthly: false },
  { id: 'afe_spend_pct_of_budget', label: 'AFE spend of budget', unit: 'pct', monthly: false },
  { id: 'jib_billed', label: 'JIB billed in the month', unit: 'usd', monthly: true },
  { id: 'jib_open', label: 'JIB open at month end (AR-JIB)', unit: 'usd', monthly: true },
];

async function expected(id: KpiId, month: string): Promise<number> {
  const { rows } = await marts.db.query<{ v: string | null }>(kpiSql(id), [month]);
  expect(rows[0]?.v, `${id} for ${month}`).not.toBeNull();
  return Number(rows[0]!.v);
}

function summaryRows(): Map<string, { value: unknown; prior: unknown }> {
  const ws = workbook.getWorksheet('Summary')!;
  const rows = new Map<string, { value: unknown; prior: unknown }>();
  ws.eachRow((row) => {
    const label = row.getCell(1).value;
    if (typeof label === 'string')
      rows.set(label, { value: row.getCell(3).value, prior: row.getCell(4).value });
  });
  return rows;
}

beforeAll(async () => {
  marts = await buildMarts();
  out = await mkdtemp(path.join(os.tmpdir(), 'reports-out-'));
  first = await pipeline(['report', '--as-of', AS_OF, '--output-dir', out], marts.env);
  expect(first.code, first.stderr).toBe(0);
  workbook = new Workbook();
  await workbook.xlsx.readFile(path.join(out, 'latest', 'dashboard.xlsx'));
  pdfText = (await run('pdftotext', ['-layout', path.join(out, 'latest', 'executive_summary.pdf'), '-']))
    .stdout;
}, 900_000);

afterAll(async () => {
  await marts?.close();
  if (out) await rm(out, { recursive: true, force: true });
});

describe('pipeline report', () => {
  it('writes both files to <as-of>/ and latest/, and nothing half-written', async () => {
    expect(first.stdout.trim().split('\n')).toEqual([
      path.join(out, AS_OF, 'dashboard.xlsx'),
      path.join(out, AS_OF, 'executive_summary.pdf'),
    ]);
    expect((await readdir(out)).sort()).toEqual([AS_OF, 'latest']);
    for (const dir of [AS_OF, 'latest']) {
      expect((await readdir(path.join(out, dir))).sort()).toEqual([
        'dashboard.xlsx',
        'executive_summary.pdf',
      ]);
    }
    const [dated, latest] = await Promise.all([
      readFile(path.join(out, AS_OF, 'dashboard.xlsx')),
      readFile(path.join(out, 'latest', 'dashboard.xlsx')),
    ]);
    expect(latest.equals(dated)).toBe(true);
  });

  it('reports on the latest complete month and says which months it covers', () => {
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getCell('A2').value).toBe(
      'Latest complete month: November 2023. Covers 10 complete months, 2023-02 to 2023-11.',
    );
    expect(String(summary.getCell('A3').value)).toContain('2023-01 (lacks costs)');
    expect(String(summary.getCell('A3').value)).toContain('2023-12 (lacks revenue actuals)');
    expect(pdfText).toContain('Executive summary: November 2023');
    expect(pdfText).toContain('Covers 10 complete months, 2023-02 to 2023-11.');
  });

  it('every KPI in the workbook equals SQL on the marts, to the cent', async () => {
    const rows = summaryRows();
    for (const kpi of KPIS) {
      const row = rows.get(kpi.label);
      expect(row, kpi.label).toBeDefined();
      expect(row!.value, kpi.label).toBe(await expected(kpi.id, LATEST_COMPLETE));
      if (kpi.monthly) expect(row!.prior, `${kpi.label}, prior month`).toBe(await expected(kpi.id, PRIOR));
    }
  });

  it('every KPI in the PDF equals SQL on the marts, to the cent', async () => {
    const lines = pdfText.split('\n');
    for (const kpi of KPIS) {
      const label = kpi.monthly ? kpi.label : `${kpi.label} (to date)`;
      const line = lines.find((l) => new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}\\s{2,}`).test(l));
      expect(line, `key-figures line for ${label}`).toBeDefined();
      expect(line, label).toContain(kpiExact(await expected(kpi.id, LATEST_COMPLETE), kpi.unit));
      if (kpi.monthly)
        expect(line, `${label}, prior`).toContain(kpiExact(await expected(kpi.id, PRIOR), kpi.unit));
    }
  });

  it('the KPIs it reports are believable for a US onshore operator', () => {
    const rows = summaryRows();
    const value = (label: string) => Number(rows.get(label)?.value);
    // LOE of US shale operators: about $4-$15/BOE in their 10-K filings (e.g. Diamondback, Devon,
    // EOG 2023); the window is wide because a small, gassy portfolio can sit outside it.
    expect(value('LOE per BOE')).toBeGreaterThan(2);
    expect(value('LOE per BOE')).toBeLessThan(40);
    // Field crude trades within ~$10/bbl of WTI Cushing (EIA first-purchase prices by state).
    expect(Math.abs(value('Oil differential vs WTI'))).toBeLessThan(15);
    // Wellhead gas sells within a few $/mcf of Henry Hub (EIA natural gas prices by state).
    expect(Math.abs(value('Gas differential vs Henry Hub'))).toBeLessThan(3);
    // Netback is positive for producing wells at 2023 prices (SEC filings report $15-$45/BOE).
    expect(value('Netback per BOE')).toBeGreaterThan(0);
    expect(value('Netback per BOE')).toBeLessThan(80);
  });

  it('the P&L by basin sheet holds the marts to the cent, with a frozen header and a filter', async () => {
    const pnl = workbook.getWorksheet('P&L by basin')!;
    let netback = 0;
    pnl.eachRow((row, n) => {
      if (n > 1 && row.getCell(1).value === '2023-11') netback += Number(row.getCell(8).value);
    });
    const { rows } = await marts.db.query<{ v: string }>(
      `SELECT sum(netback) AS v FROM marts.fct_well_pnl_monthly WHERE activity_month = $1`,
      [LATEST_COMPLETE],
    );
    expect(Math.round(netback * 100)).toBe(Math.round(Number(rows[0]!.v) * 100));
    expect(pnl.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(pnl.autoFilter).toBeTruthy();
  });

  it('has native charts bound to cell ranges', async () => {
    const xlsx = path.join(out, 'latest', 'dashboard.xlsx');
    const { stdout: list } = await run('unzip', ['-Z1', xlsx]);
    const charts = list.split('\n').filter((f) => /^xl\/charts\/chart\d+\.xml$/.test(f));
    expect(charts.length).toBeGreaterThanOrEqual(4);
    for (const chart of charts) {
      const { stdout: xml } = await run('unzip', ['-p', xlsx, chart], { maxBuffer: 10_000_000 });
      // every series reads its values from a range of a sheet, e.g. <c:f>'Production'!$C$2:$C$11</c:f>
      const refs = [...xml.matchAll(/<c:f>([^<]+)<\/c:f>/g)].map((m) =>
        m[1]!.replace(/&apos;/g, "'").replace(/&amp;/g, '&'),
      );
      expect(refs.length, chart).toBeGreaterThanOrEqual(2);
      for (const ref of refs) expect(ref).toMatch(/^'[^']+'!\$[A-Z]+\$\d+:\$[A-Z]+\$\d+$/);
      expect(xml, chart).toMatch(/<c:(lineChart|barChart)>/);
      expect(xml, `${chart} has explicit series colours`).toMatch(/<a:srgbClr val="[0-9A-F]{6}"/);
    }
  });

  it('passes openxml-audit with no error', async () => {
    const { stdout } = await run(
      'uvx',
      [
        '--from',
        'openxml-audit==0.8.0',
        'openxml-audit',
        '-o',
        'json',
        path.join(out, 'latest', 'dashboard.xlsx'),
      ],
      { timeout: 300_000 },
    );
    const [result] = JSON.parse(stdout) as Array<{ valid: boolean; error_count: number; errors: unknown[] }>;
    expect(result!.errors).toEqual([]);
    expect(result!.error_count).toBe(0);
    expect(result!.valid).toBe(true);
  });

  it('LibreOffice opens the workbook and converts it to PDF', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'reports-lo-'));
    try {
      await run(
        'libreoffice',
        [
          `-env:UserInstallation=file://${dir}/profile`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          path.join(out, 'latest', 'dashboard.xlsx'),
        ],
        { timeout: 180_000 },
      );
      const pdf = path.join(dir, 'dashboard.pdf');
      expect((await stat(pdf)).size).toBeGreaterThan(10_000);
      const { stdout } = await run('pdftotext', [pdf, '-']);
      expect(stdout).toContain('energy dashboard');
      expect(stdout).toContain('Net production (complete months)');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the PDF has 2-4 pages, page numbers and the EIA source credit', async () => {
    const { stdout } = await run('pdfinfo', [path.join(out, 'latest', 'executive_summary.pdf')]);
    const pages = Number(/Pages:\s+(\d+)/.exec(stdout)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(4);
    expect(pdfText).toContain(`Page 1 of ${pages}`);
    expect(pdfText).toContain('Source: U.S. Energy Information Administration (EIA)');
  });

  it('says "no checks recorded" while ops.dq_results is empty', () => {
    expect(workbook.getWorksheet('Data quality')!.getCell('A2').value).toBe(
      'no checks recorded (run npm run pipeline -- check)',
    );
    expect(pdfText).toContain('no checks recorded');
  });

  it('same marts, same numbers', async () => {
    const again = await pipeline(['report', '--as-of', AS_OF, '--output-dir', out], marts.env);
    expect(again.code, again.stderr).toBe(0);
    const second = new Workbook();
    await second.xlsx.readFile(path.join(out, 'latest', 'dashboard.xlsx'));
    for (const name of ['Summary', 'Production', 'P&L by basin', 'AFE detail', 'JIB']) {
      const values = (wb: Workbook) => {
        const cells: unknown[] = [];
        wb.getWorksheet(name)!.eachRow((row, n) => {
          // row 4 of the Summary says when it was generated
          if (!(name === 'Summary' && n === 4)) cells.push(row.values);
        });
        return cells;
      };
      expect(values(second), name).toEqual(values(workbook));
    }
    expect((await readdir(out)).sort()).toEqual([AS_OF, 'latest']);
  });

  it('shows recorded checks and where EIA has not published a period says so', async () => {
    // what the orchestration's migration 007 grants (idempotent once it is there)
    await marts.db.query('GRANT SELECT ON ops.dq_results TO energy_reporting');
    await marts.db.query(
      `INSERT INTO ops.dq_results (check_name, severity, status, observed, threshold)
       VALUES ('freshness:gl.lines', 'warn', 'fail', 30, 24), ('journals_balance', 'error', 'pass', 0, 0)`,
    );
    // EIA's lag, as the marts record it for a month EIA has not completed yet
    await marts.db.query(
      `UPDATE marts.fct_realized_prices SET benchmark_price = NULL, differential = NULL, realized_pct_of_benchmark = NULL,
              benchmark_status = 'pending' WHERE production_month = $1 AND product = 'oil'`,
      [LATEST_COMPLETE],
    );
    await marts.db.query(
      `UPDATE marts.fct_production_vs_eia SET eia_production_mbbl = NULL, eia_production_bbl = NULL,
              company_share_of_eia = NULL, eia_status = 'pending' WHERE production_month = $1`,
      [LATEST_COMPLETE],
    );
    const dir = path.join(out, 'lag');
    const result = await pipeline(['report', '--as-of', AS_OF, '--output-dir', dir], marts.env);
    expect(result.code, result.stderr).toBe(0);
    const wb = new Workbook();
    await wb.xlsx.readFile(path.join(dir, 'latest', 'dashboard.xlsx'));
    const text = (await run('pdftotext', ['-layout', path.join(dir, 'latest', 'executive_summary.pdf'), '-']))
      .stdout;

    const quality = wb.getWorksheet('Data quality')!;
    expect(quality.getCell('A2').value).toBe('freshness:gl.lines');
    expect(quality.getCell('C2').value).toBe('fail');
    expect(text).toContain('2 checks recorded: 1 passed, 1 warnings, 0 errors.');

    const rows = new Map<string, unknown>();
    wb.getWorksheet('Summary')!.eachRow((row) =>
      rows.set(String(row.getCell(1).value), row.getCell(9).value),
    );
    expect(rows.get('WTI Cushing (average)')).toBe('EIA data not yet published for 2023-11');
    expect(text).toContain('EIA data not yet published for 2023-11');
    const eia: unknown[] = [];
    wb.getWorksheet('Production vs EIA')!.eachRow((row) => {
      if (row.getCell(2).value === '2023-11') eia.push(row.getCell(6).value);
    });
    expect(eia.length).toBeGreaterThan(0);
    expect(new Set(eia)).toEqual(new Set(['EIA data not yet published for 2023-11']));
  });
});

describe('pipeline report on empty marts', () => {
  it('exits non-zero, says to run the pipeline first, and writes nothing', async () => {
    const { createTestDatabase } = await import('../helpers/database.ts');
    const empty = await createTestDatabase();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'reports-empty-'));
    try {
      const result = await pipeline(['report', '--as-of', AS_OF, '--output-dir', dir], {
        DATABASE_URL: empty.url,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('Run the pipeline first');
      expect(result.stdout).toBe('');
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await empty.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
