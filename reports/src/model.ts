/**
 * The report model: everything the Excel dashboard and the PDF summary show, read once from the
 * marts (read/index.ts). The writers only render it; they never query, compute a KPI or round.
 * Money and ratios are already rounded to the cent in SQL, so both writers show the same figures.
 */

/** 'YYYY-MM-DD', the first day of a month. */
export type MonthStart = string;

export type KpiUnit =
  | 'usd'
  | 'usd_per_boe'
  | 'usd_per_bbl'
  | 'usd_per_mcf'
  | 'boe_per_day'
  | 'bbl_per_day'
  | 'mcf_per_day'
  | 'pct';

export type KpiId =
  | 'boe_per_day'
  | 'oil_bbl_per_day'
  | 'gas_mcf_per_day'
  | 'net_revenue'
  | 'loe_per_boe'
  | 'netback_per_boe'
  | 'realized_oil'
  | 'wti'
  | 'oil_differential'
  | 'realized_gas'
  | 'henry_hub'
  | 'gas_differential'
  | 'afe_gross_budget'
  | 'afe_gross_spend'
  | 'afe_spend_pct_of_budget'
  | 'jib_billed'
  | 'jib_open';

export interface Kpi {
  id: KpiId;
  label: string;
  unit: KpiUnit;
  /** The latest complete month (or, for AFE and open JIB, to date at its end). */
  value: number | null;
  /** The complete month before it, when loaded. */
  prior: number | null;
  /** The same month a year earlier, when loaded and complete. */
  yearAgo: number | null;
  /** Why a value is missing, e.g. "EIA data not yet published for 2024-02". */
  note?: string;
}

export interface MonthCoverage {
  month: MonthStart;
  isComplete: boolean;
  /** What a partial month lacks: 'revenue actuals', 'revenue accruals', 'costs'. */
  missing: string[];
}

export interface MonthlyTotals {
  month: MonthStart;
  days: number;
  oilBbl: number;
  gasMcf: number;
  nglBbl: number;
  netBoe: number;
  boePerDay: number;
  oilBblPerDay: number;
  gasMcfPerDay: number;
  netRevenue: number;
  productionTaxes: number;
  transportation: number;
  loe: number;
  netback: number;
  overhead: number;
  dda: number;
  operatingIncome: number;
  loePerBoe: number | null;
  netbackPerBoe: number | null;
}

export interface BasinMonth {
  month: MonthStart;
  basin: string;
  netBoe: number;
  netRevenue: number;
  productionTaxes: number;
  transportation: number;
  loe: number;
  netback: number;
  overhead: number;
  dda: number;
  operatingIncome: number;
  netbackPerBoe: number | null;
}

/** One basin's netback in the latest complete month and the one before. */
export interface NetbackByBasin {
  basin: string;
  prior: number | null;
  latest: number | null;
  netback: number | null;
  netBoe: number | null;
}

export interface RealizedMonth {
  month: MonthStart;
  oilRealized: number | null;
  wti: number | null;
  oilDifferential: number | null;
  gasRealized: number | null;
  henryHub: number | null;
  gasDifferential: number | null;
  /** "EIA data not yet published for <period>" for a month whose benchmark is pending. */
  note: string | null;
}

export interface WellLoe {
  group: 'highest LOE/BOE (top decile)' | 'lowest LOE/BOE (bottom decile)';
  rank: number;
  wellId: string;
  wellName: string;
  basin: string;
  loe: number;
  netBoe: number;
  loePerBoe: number;
}

export interface AfeRow {
  afeNumber: string;
  afeType: string;
  wellName: string;
  basin: string;
  status: string;
  grossBudget: number;
  grossSpend: number;
  variance: number;
  spendPctOfBudget: number | null;
}

export interface AfeTypeTotals {
  afeType: string;
  afes: number;
  grossBudget: number;
  grossSpend: number;
  variance: number;
}

export interface JibRow {
  ownerName: string;
  billingPeriod: string;
  servicePeriod: string;
  invoices: number;
  wellsBilled: number;
  billed: number;
  overhead: number;
  expected: number;
  variance: number;
}

export interface EiaComparison {
  state: string;
  month: MonthStart;
  companyOilBbl: number;
  eiaBbl: number | null;
  /** company / EIA production, as a fraction. */
  share: number | null;
  note: string | null;
}

export interface CheckRow {
  name: string;
  severity: string;
  status: string;
  observed: number | null;
  threshold: number | null;
  checkedAt: string | null;
}

export interface QuarantineRow {
  source: string;
  entity: string;
  reason: string;
  records: number;
  lastSeen: string;
}

export interface Freshness {
  source: string;
  /** Latest data date held (GL posting date, EIA price date). */
  latestDataDate: string | null;
  lastSuccessAt: string | null;
  hoursSinceLastSuccess: number | null;
  failedBatchesLast24h: number;
}

export interface ReportModel {
  company: string;
  asOf: string;
  generatedAt: string;
  latestMonth: MonthStart;
  priorMonth: MonthStart | null;
  yearAgoMonth: MonthStart | null;
  /** Complete months only, oldest first: the months every trend and KPI uses. */
  completeMonths: MonthStart[];
  coverage: MonthCoverage[];
  kpis: Kpi[];
  monthly: MonthlyTotals[];
  basins: BasinMonth[];
  netbackByBasin: NetbackByBasin[];
  realized: RealizedMonth[];
  loeByWell: WellLoe[];
  afes: AfeRow[];
  afeByType: AfeTypeTotals[];
  jib: JibRow[];
  productionVsEia: EiaComparison[];
  /** The latest EIA state-production month published, if any. */
  latestEiaMonth: MonthStart | null;
  checks: CheckRow[];
  quarantine: QuarantineRow[];
  freshness: Freshness[];
}

export class EmptyMartsError extends Error {
  constructor(detail: string) {
    super(`no report: ${detail}. Run the pipeline first (npm run pipeline -- run, or ./run.sh)`);
    this.name = 'EmptyMartsError';
  }
}
