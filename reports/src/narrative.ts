/**
 * The executive summary's words, generated from the report model's numbers only: what moved, by
 * how much, and where. It never names a cause the data does not show (no "because of weather").
 */
import { decimal2, integer, kpiExact, pctChange, usd, usdCompact } from './format.ts';
import type { Kpi, KpiId, ReportModel } from './model.ts';
import { monthName, period } from './months.ts';

const kpi = (model: ReportModel, id: KpiId): Kpi => model.kpis.find((k) => k.id === id)!;

const direction = (delta: number, up = 'up', down = 'down') =>
  delta > 0 ? up : delta < 0 ? down : 'unchanged';

export function coverageSentence(model: ReportModel): string {
  const months = model.completeMonths;
  const first = months[0]!;
  return months.length === 1
    ? `Covers one complete month, ${period(first)}.`
    : `Covers ${months.length} complete months, ${period(first)} to ${period(model.latestMonth)}.`;
}

export function partialMonthsSentence(model: ReportModel): string {
  const partial = model.coverage.filter((c) => !c.isComplete || !model.completeMonths.includes(c.month));
  if (partial.length === 0) return 'Every loaded month is complete.';
  const list = partial
    .map(
      (c) =>
        `${period(c.month)} (${c.missing.length ? `lacks ${c.missing.join(', ')}` : 'after the as-of date'})`,
    )
    .join('; ');
  return `Partial months, left out of KPIs and trends: ${list}.`;
}

/** The narrative paragraphs of the summary's first page. */
export function narrative(model: ReportModel): string[] {
  const latest = monthName(model.latestMonth);
  const prior = model.priorMonth ? monthName(model.priorMonth) : null;
  const out: string[] = [];

  const boe = kpi(model, 'boe_per_day');
  const revenue = kpi(model, 'net_revenue');
  let production = `Net production averaged ${kpiExact(boe.value, boe.unit)} in ${latest}`;
  if (prior && boe.prior !== null) production += `, ${pctChange(boe.value, boe.prior)} on ${prior}`;
  if (model.yearAgoMonth && boe.yearAgo !== null)
    production += ` and ${pctChange(boe.value, boe.yearAgo)} on ${monthName(model.yearAgoMonth)}`;
  production += `; net revenue was ${usd(revenue.value ?? 0)}`;
  if (prior && revenue.prior !== null) production += ` (${pctChange(revenue.value, revenue.prior)})`;
  out.push(`${production}.`);

  const netback = kpi(model, 'netback_per_boe');
  const loe = kpi(model, 'loe_per_boe');
  if (netback.value !== null) {
    let text = `Netback was ${kpiExact(netback.value, netback.unit)}`;
    if (prior && netback.prior !== null) {
      const delta = netback.value - netback.prior;
      text += `, ${direction(delta)} ${usd(Math.abs(delta))} from ${kpiExact(netback.prior, netback.unit)} in ${prior}`;
      const driver = netbackDriver(model);
      if (driver) text += `. ${driver}`;
    }
    text += `. LOE was ${kpiExact(loe.value, loe.unit)}`;
    if (loe.prior !== null && loe.value !== null)
      text += ` (${kpiExact(loe.prior, loe.unit)} the month before)`;
    out.push(`${text}.`);
  }

  out.push(differentialSentence(model, 'oil'));
  out.push(differentialSentence(model, 'gas'));

  const budget = kpi(model, 'afe_gross_budget');
  const spend = kpi(model, 'afe_gross_spend');
  const over = model.afes.filter((a) => a.variance > 0).length;
  out.push(
    `Gross spend to date on ${integer(model.afes.length)} AFEs is ${usdCompact(spend.value ?? 0)}, ` +
      `${decimal2(kpi(model, 'afe_spend_pct_of_budget').value ?? 0)}% of their ${usdCompact(budget.value ?? 0)} gross budget; ` +
      `${integer(over)} ${over === 1 ? 'AFE is' : 'AFEs are'} over budget.`,
  );

  const billed = kpi(model, 'jib_billed');
  const open = kpi(model, 'jib_open');
  out.push(
    `Joint-interest billing to partners was ${usd(billed.value ?? 0)} in ${latest}; ${usd(open.value ?? 0)} of JIB receivables were open at month end.`,
  );

  out.push(eiaSentence(model));
  return out;
}

/** The basin whose netback (USD) moved most, in the direction of the company's move. */
function netbackDriver(model: ReportModel): string | null {
  if (!model.priorMonth) return null;
  const at = (month: string) =>
    new Map(model.basins.filter((b) => b.month === month).map((b) => [b.basin, b.netback]));
  const latest = at(model.latestMonth);
  const prior = at(model.priorMonth);
  const basins = [...new Set([...latest.keys(), ...prior.keys()])].sort();
  const moves = basins.map((basin) => ({ basin, delta: (latest.get(basin) ?? 0) - (prior.get(basin) ?? 0) }));
  const total = moves.reduce((sum, m) => sum + m.delta, 0);
  const same = moves.filter((m) => Math.sign(m.delta) === Math.sign(total) && m.delta !== 0);
  if (same.length === 0) return null;
  const top = same.reduce((a, b) => (Math.abs(b.delta) > Math.abs(a.delta) ? b : a));
  return (
    `Total netback ${direction(total, 'rose', 'fell')} ${usdCompact(Math.abs(total))}; ` +
    `${top.basin} moved most (${top.delta > 0 ? '+' : '-'}${usdCompact(Math.abs(top.delta))})`
  );
}

function differentialSentence(model: ReportModel, product: 'oil' | 'gas'): string {
  const realized = kpi(model, product === 'oil' ? 'realized_oil' : 'realized_gas');
  const bench = kpi(model, product === 'oil' ? 'wti' : 'henry_hub');
  const diff = kpi(model, product === 'oil' ? 'oil_differential' : 'gas_differential');
  const name = product === 'oil' ? 'WTI Cushing' : 'Henry Hub';
  const what = product === 'oil' ? 'Realized oil' : 'Realized gas';
  if (realized.value === null) return `${what}: no ${product} sales in ${monthName(model.latestMonth)}.`;
  if (bench.value === null || diff.value === null) {
    return `${what} averaged ${kpiExact(realized.value, realized.unit)}; ${bench.note ?? `${name}: EIA data not yet published`}.`;
  }
  let text =
    `${what} averaged ${kpiExact(realized.value, realized.unit)} against ${name} at ${kpiExact(bench.value, bench.unit)}, ` +
    `a differential of ${kpiExact(diff.value, diff.unit)}`;
  if (diff.prior !== null && model.priorMonth) {
    const delta = diff.value - diff.prior;
    const moved =
      delta === 0 ? 'unchanged' : Math.abs(diff.value) < Math.abs(diff.prior) ? 'narrower' : 'wider';
    text +=
      moved === 'unchanged'
        ? `, unchanged on ${monthName(model.priorMonth)}`
        : `, ${usd(Math.abs(delta))} ${moved} than ${monthName(model.priorMonth)} (${kpiExact(diff.prior, diff.unit)})`;
  }
  return `${text}.`;
}

function eiaSentence(model: ReportModel): string {
  const us = model.productionVsEia.filter((e) => e.state === 'US');
  const latest = us.find((e) => e.month === model.latestMonth);
  if (latest?.share !== null && latest?.share !== undefined) {
    return `The company's net oil was ${(latest.share * 100).toFixed(4)}% of US field production in ${monthName(model.latestMonth)} (EIA).`;
  }
  const published = [...us].reverse().find((e) => e.share !== null);
  const pending = latest?.note ?? `EIA data not yet published for ${period(model.latestMonth)}`;
  return published
    ? `${pending}; in ${monthName(published.month)}, the latest month EIA covers, the company's net oil was ${(published.share! * 100).toFixed(4)}% of US field production.`
    : `${pending}.`;
}
