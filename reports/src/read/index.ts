/**
 * Reads the marts (as energy_reporting) into the report model. The only module of reports/ that
 * talks to the database; the writers render what it returns.
 */
import type pg from 'pg';
import {
  EmptyMartsError,
  type BasinMonth,
  type CheckRow,
  type NetbackByBasin,
  type Kpi,
  type MonthCoverage,
  type MonthlyTotals,
  type RealizedMonth,
  type ReportModel,
  type WellLoe,
} from '../model.ts';
import { addMonths, eiaNotPublished, period } from '../months.ts';
import { readMonthCompleteness } from './completeness.ts';
import * as SQL from './sql.ts';

type Row = Record<string, unknown>;

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string => String(v ?? '');
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

const UNDEFINED_TABLE = '42P01';
const INSUFFICIENT_PRIVILEGE = '42501';

export interface ReadOptions {
  /** The report's as-of date: months ending after it are left out. */
  asOf: string;
  generatedAt?: Date;
}

export async function readReportModel(pool: pg.Pool, options: ReadOptions): Promise<ReportModel> {
  const client = await pool.connect();
  try {
    // one snapshot: every query sees the same marts even if dbt rebuilds them meanwhile
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const model = await read(client, options);
    await client.query('COMMIT');
    return model;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    if ((error as { code?: string }).code === UNDEFINED_TABLE) {
      throw new EmptyMartsError(`the marts do not exist yet (${(error as Error).message})`);
    }
    throw error;
  } finally {
    client.release();
  }
}

async function rows(client: pg.PoolClient, sql: string, params: unknown[] = []): Promise<Row[]> {
  return (await client.query<Row>(sql, params)).rows;
}

async function read(client: pg.PoolClient, options: ReadOptions): Promise<ReportModel> {
  const [{ n } = { n: 0 }] = await rows(client, SQL.HAS_DATA);
  if (num(n) === 0) throw new EmptyMartsError('the marts hold no GL data');

  const coverage = await readMonthCompleteness(client);
  const completeMonths = coverage
    .filter((c) => c.isComplete && addMonths(c.month, 1) <= addDays(options.asOf, 1))
    .map((c) => c.month);
  const latestMonth = completeMonths.at(-1);
  if (!latestMonth) {
    throw new EmptyMartsError(
      `no complete month is loaded up to ${options.asOf} (${describeCoverage(coverage)}); a month needs its revenue accruals, revenue actuals and costs`,
    );
  }
  const priorMonth = completeMonths.includes(addMonths(latestMonth, -1)) ? addMonths(latestMonth, -1) : null;
  const yearAgoMonth = completeMonths.includes(addMonths(latestMonth, -12))
    ? addMonths(latestMonth, -12)
    : null;
  const months = [completeMonths];

  const monthly = (await rows(client, SQL.MONTHLY, months)).map(toMonthly);
  const realized = toRealized(await rows(client, SQL.REALIZED, months));
  const jibByMonth = new Map(
    (
      await rows(client, SQL.JIB_BY_MONTH, [
        // only the months the KPIs compare: each one scans the AR-JIB lines
        [latestMonth, priorMonth, yearAgoMonth].filter((m): m is string => m !== null),
      ])
    ).map((r) => [str(r.month), { billed: num(r.billed), open: num(r.open) }]),
  );
  const [afeTotals = {}] = await rows(client, SQL.AFE_TOTALS);
  const [company] = await rows(client, SQL.COMPANY);
  const [latestEia] = await rows(client, SQL.LATEST_EIA_MONTH);
  const latestEiaMonth = strOrNull(latestEia?.month);

  const basins: BasinMonth[] = (await rows(client, SQL.BASINS, months)).map((r) => ({
    month: str(r.month),
    basin: str(r.basin),
    netBoe: num(r.net_boe),
    netRevenue: num(r.net_revenue),
    productionTaxes: num(r.production_taxes),
    transportation: num(r.transportation),
    loe: num(r.loe),
    netback: num(r.netback),
    overhead: num(r.overhead),
    dda: num(r.dda),
    operatingIncome: num(r.operating_income),
    netbackPerBoe: numOrNull(r.netback_per_boe),
  }));

  const kpis = buildKpis({
    latestMonth,
    priorMonth,
    yearAgoMonth,
    monthly,
    realized,
    jibByMonth,
    afeTotals,
  });

  return {
    company: str(company?.owner_name) || 'the company',
    asOf: options.asOf,
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    latestMonth,
    priorMonth,
    yearAgoMonth,
    completeMonths,
    coverage,
    kpis,
    monthly,
    basins,
    netbackByBasin: netbackByBasin(basins, latestMonth, priorMonth),
    realized,
    loeByWell: deciles(await rows(client, SQL.WELL_LOE, [latestMonth])),
    afes: (await rows(client, SQL.AFES)).map((r) => ({
      afeNumber: str(r.afe_number),
      afeType: str(r.afe_type),
      wellName: str(r.well_name),
      basin: str(r.basin),
      status: str(r.afe_status),
      grossBudget: num(r.gross_budget),
      grossSpend: num(r.gross_spend),
      variance: num(r.variance_amount),
      spendPctOfBudget: numOrNull(r.spend_pct_of_budget),
    })),
    afeByType: (await rows(client, SQL.AFE_BY_TYPE)).map((r) => ({
      afeType: str(r.afe_type),
      afes: num(r.afes),
      grossBudget: num(r.gross_budget),
      grossSpend: num(r.gross_spend),
      variance: num(r.variance),
    })),
    jib: (await rows(client, SQL.JIB)).map((r) => ({
      ownerName: str(r.owner_name),
      billingPeriod: str(r.billing_period),
      servicePeriod: str(r.service_period),
      invoices: num(r.invoices),
      wellsBilled: num(r.wells_billed),
      billed: num(r.billed_amount),
      overhead: num(r.billed_overhead),
      expected: num(r.expected_amount),
      variance: num(r.billing_variance),
    })),
    productionVsEia: (await rows(client, SQL.PRODUCTION_VS_EIA, months)).map((r) => ({
      state: str(r.state_code),
      month: str(r.month),
      companyOilBbl: num(r.company_oil_bbl),
      eiaBbl: numOrNull(r.eia_production_bbl),
      share: numOrNull(r.share),
      note:
        r.eia_status === 'pending'
          ? eiaNotPublished(str(r.month))
          : r.eia_status === 'missing'
            ? `EIA has no value for ${period(str(r.month))}`
            : null,
    })),
    latestEiaMonth,
    checks: await readChecks(client),
    quarantine: (await rows(client, SQL.QUARANTINE)).map((r) => ({
      source: str(r.source),
      entity: str(r.entity),
      reason: str(r.reason),
      records: num(r.records),
      lastSeen: str(r.last_seen),
    })),
    freshness: (await rows(client, SQL.FRESHNESS)).map((r) => ({
      source: str(r.source),
      latestDataDate: strOrNull(r.latest_data_date),
      lastSuccessAt: strOrNull(r.last_success_at),
      hoursSinceLastSuccess: numOrNull(r.hours_since_last_success),
      failedBatchesLast24h: num(r.failed_batches_last_24h),
    })),
  };
}

function netbackByBasin(
  basins: BasinMonth[],
  latestMonth: string,
  priorMonth: string | null,
): NetbackByBasin[] {
  const names = [...new Set(basins.map((b) => b.basin))].sort();
  return names.map((basin) => {
    const latest = basins.find((b) => b.basin === basin && b.month === latestMonth);
    const prior = basins.find((b) => b.basin === basin && b.month === priorMonth);
    return {
      basin,
      prior: prior?.netbackPerBoe ?? null,
      latest: latest?.netbackPerBoe ?? null,
      netback: latest?.netback ?? null,
      netBoe: latest?.netBoe ?? null,
    };
  });
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function describeCoverage(coverage: MonthCoverage[]): string {
  if (coverage.length === 0) return 'no month loaded';
  return coverage
    .map((c) => `${period(c.month)}: ${c.isComplete ? 'complete' : `lacks ${c.missing.join(', ')}`}`)
    .join('; ');
}

function toMonthly(r: Row): MonthlyTotals {
  return {
    month: str(r.month),
    days: num(r.days),
    oilBbl: num(r.oil_bbl),
    gasMcf: num(r.gas_mcf),
    nglBbl: num(r.ngl_bbl),
    netBoe: num(r.net_boe),
    boePerDay: num(r.boe_per_day),
    oilBblPerDay: num(r.oil_bbl_per_day),
    gasMcfPerDay: num(r.gas_mcf_per_day),
    netRevenue: num(r.net_revenue),
    productionTaxes: num(r.production_taxes),
    transportation: num(r.transportation),
    loe: num(r.loe),
    netback: num(r.netback),
    overhead: num(r.overhead),
    dda: num(r.dda),
    operatingIncome: num(r.operating_income),
    loePerBoe: numOrNull(r.loe_per_boe),
    netbackPerBoe: numOrNull(r.netback_per_boe),
  };
}

function toRealized(raw: Row[]): RealizedMonth[] {
  const byMonth = new Map<string, RealizedMonth>();
  for (const r of raw) {
    const month = str(r.month);
    const entry = byMonth.get(month) ?? {
      month,
      oilRealized: null,
      wti: null,
      oilDifferential: null,
      gasRealized: null,
      henryHub: null,
      gasDifferential: null,
      note: null,
    };
    if (r.product === 'oil') {
      entry.oilRealized = numOrNull(r.realized);
      entry.wti = numOrNull(r.benchmark);
      entry.oilDifferential = numOrNull(r.differential);
    } else {
      entry.gasRealized = numOrNull(r.realized);
      entry.henryHub = numOrNull(r.benchmark);
      entry.gasDifferential = numOrNull(r.differential);
    }
    if (r.benchmark === null) entry.note = eiaNotPublished(month);
    byMonth.set(month, entry);
  }
  return [...byMonth.values()];
}

/** The top and bottom decile of wells by LOE per BOE (rows arrive highest first). */
function deciles(raw: Row[]): WellLoe[] {
  const size = Math.ceil(raw.length / 10);
  const toWell = (group: WellLoe['group']) => (r: Row, i: number) => ({
    group,
    rank: i + 1,
    wellId: str(r.well_id),
    wellName: str(r.well_name),
    basin: str(r.basin),
    loe: num(r.loe),
    netBoe: num(r.net_boe),
    loePerBoe: num(r.loe_per_boe),
  });
  if (raw.length < 2) return raw.map(toWell('highest LOE/BOE (top decile)'));
  return [
    ...raw.slice(0, size).map(toWell('highest LOE/BOE (top decile)')),
    ...raw.slice(-size).reverse().map(toWell('lowest LOE/BOE (bottom decile)')),
  ];
}

async function readChecks(client: pg.PoolClient): Promise<CheckRow[]> {
  await client.query('SAVEPOINT checks');
  let raw: Row[];
  try {
    raw = await rows(client, SQL.CHECKS);
    await client.query('RELEASE SAVEPOINT checks');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code !== INSUFFICIENT_PRIVILEGE && code !== UNDEFINED_TABLE) throw error;
    await client.query('ROLLBACK TO SAVEPOINT checks');
    raw = await rows(client, SQL.CHECKS_FROM_MART);
  }
  return raw.map((r) => ({
    name: str(r.check_name),
    severity: str(r.severity),
    status: str(r.status),
    observed: numOrNull(r.observed),
    threshold: numOrNull(r.threshold),
    checkedAt: strOrNull(r.checked_at),
  }));
}

interface KpiInputs {
  latestMonth: string;
  priorMonth: string | null;
  yearAgoMonth: string | null;
  monthly: MonthlyTotals[];
  realized: RealizedMonth[];
  jibByMonth: Map<string, { billed: number; open: number }>;
  afeTotals: Row;
}

function buildKpis(input: KpiInputs): Kpi[] {
  const { latestMonth, priorMonth, yearAgoMonth } = input;
  const monthlyBy = new Map(input.monthly.map((m) => [m.month, m]));
  const realizedBy = new Map(input.realized.map((m) => [m.month, m]));
  const at = <T>(map: Map<string, T>, month: string | null) => (month ? map.get(month) : undefined);

  const monthlyKpi = (
    id: Kpi['id'],
    label: string,
    unit: Kpi['unit'],
    pick: (m: MonthlyTotals) => number | null,
  ): Kpi => ({
    id,
    label,
    unit,
    value: pick(monthlyBy.get(latestMonth)!),
    prior: ((m) => (m ? pick(m) : null))(at(monthlyBy, priorMonth)),
    yearAgo: ((m) => (m ? pick(m) : null))(at(monthlyBy, yearAgoMonth)),
  });
  const realizedKpi = (
    id: Kpi['id'],
    label: string,
    unit: Kpi['unit'],
    pick: (m: RealizedMonth) => number | null,
  ): Kpi => {
    const latest = realizedBy.get(latestMonth);
    const kpi: Kpi = {
      id,
      label,
      unit,
      value: latest ? pick(latest) : null,
      prior: ((m) => (m ? pick(m) : null))(at(realizedBy, priorMonth)),
      yearAgo: ((m) => (m ? pick(m) : null))(at(realizedBy, yearAgoMonth)),
    };
    if (kpi.value === null && latest?.note) kpi.note = latest.note;
    return kpi;
  };
  const jibKpi = (id: Kpi['id'], label: string, pick: 'billed' | 'open'): Kpi => ({
    id,
    label,
    unit: 'usd',
    value: at(input.jibByMonth, latestMonth)?.[pick] ?? null,
    prior: at(input.jibByMonth, priorMonth)?.[pick] ?? null,
    yearAgo: at(input.jibByMonth, yearAgoMonth)?.[pick] ?? null,
  });
  const toDate = (id: Kpi['id'], label: string, unit: Kpi['unit'], column: string): Kpi => ({
    id,
    label,
    unit,
    value: numOrNull(input.afeTotals[column]),
    prior: null,
    yearAgo: null,
    note: 'to date',
  });

  return [
    monthlyKpi('boe_per_day', 'Net production', 'boe_per_day', (m) => m.boePerDay),
    monthlyKpi('oil_bbl_per_day', 'Net oil production', 'bbl_per_day', (m) => m.oilBblPerDay),
    monthlyKpi('gas_mcf_per_day', 'Net gas production', 'mcf_per_day', (m) => m.gasMcfPerDay),
    monthlyKpi('net_revenue', 'Net revenue', 'usd', (m) => m.netRevenue),
    monthlyKpi('loe_per_boe', 'LOE per BOE', 'usd_per_boe', (m) => m.loePerBoe),
    monthlyKpi('netback_per_boe', 'Netback per BOE', 'usd_per_boe', (m) => m.netbackPerBoe),
    realizedKpi('realized_oil', 'Realized oil price', 'usd_per_bbl', (m) => m.oilRealized),
    realizedKpi('wti', 'WTI Cushing (average)', 'usd_per_bbl', (m) => m.wti),
    realizedKpi('oil_differential', 'Oil differential vs WTI', 'usd_per_bbl', (m) => m.oilDifferential),
    realizedKpi('realized_gas', 'Realized gas price', 'usd_per_mcf', (m) => m.gasRealized),
    realizedKpi('henry_hub', 'Henry Hub (average)', 'usd_per_mcf', (m) => m.henryHub),
    realizedKpi('gas_differential', 'Gas differential vs Henry Hub', 'usd_per_mcf', (m) => m.gasDifferential),
    toDate('afe_gross_budget', 'AFE gross budget', 'usd', 'gross_budget'),
    toDate('afe_gross_spend', 'AFE gross spend', 'usd', 'gross_spend'),
    toDate('afe_spend_pct_of_budget', 'AFE spend of budget', 'pct', 'spend_pct_of_budget'),
    jibKpi('jib_billed', 'JIB billed in the month', 'billed'),
    jibKpi('jib_open', 'JIB open at month end (AR-JIB)', 'open'),
  ];
}
