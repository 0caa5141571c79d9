/**
 * The PDF executive summary (pdfmake, vector charts from ECharts SVG): page 1 the title block, KPI
 * tiles and the narrative; page 2 the charts; page 3 the key figures to the cent, data quality and
 * freshness. Renders a ReportModel; computes nothing but layout.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake';
import { kpiChange, kpiExact, kpiParts, kpiShort, usd } from '../format.ts';
import type { Kpi, KpiId, ReportModel } from '../model.ts';
import { monthLabel, monthName, period } from '../months.ts';
import { coverageSentence, narrative, partialMonthsSentence } from '../narrative.ts';
import { COLORS, hex } from '../theme.ts';
import { netbackChart, productionChart, realizedChart } from './charts.ts';
import { FONT_DIR, FONTS } from './fonts.ts';

pdfmake.setFonts(FONTS);
// Everything the document needs is in memory or in the font package: no network, no other files.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((file) => path.resolve(file).startsWith(FONT_DIR + path.sep));

const TILES: Array<{ id: KpiId; title: string }> = [
  { id: 'boe_per_day', title: 'Net production' },
  { id: 'oil_bbl_per_day', title: 'Oil' },
  { id: 'gas_mcf_per_day', title: 'Gas' },
  { id: 'net_revenue', title: 'Net revenue' },
  { id: 'netback_per_boe', title: 'Netback' },
  { id: 'loe_per_boe', title: 'LOE' },
  { id: 'realized_oil', title: 'Realized oil' },
  { id: 'oil_differential', title: 'Oil differential vs WTI' },
  { id: 'realized_gas', title: 'Realized gas' },
  { id: 'gas_differential', title: 'Gas differential vs Henry Hub' },
  { id: 'afe_spend_pct_of_budget', title: 'AFE spend of gross budget' },
  { id: 'jib_billed', title: 'JIB billed to partners' },
];

const kpiOf = (model: ReportModel, id: KpiId): Kpi => model.kpis.find((k) => k.id === id)!;

function tile(model: ReportModel, id: KpiId, title: string): Content {
  const kpi = kpiOf(model, id);
  const lines: Content[] = [
    { text: title.toUpperCase(), style: 'tileTitle' },
    kpi.value === null
      ? { text: kpi.note ?? 'n/a', style: 'tileNote' }
      : {
          text: [
            { text: kpiParts(kpi.value, kpi.unit)[0] },
            { text: kpiParts(kpi.value, kpi.unit)[1], style: 'tileUnit' },
          ],
          style: 'tileValue',
        },
  ];
  if (kpi.note === 'to date') {
    const spend = kpiOf(model, 'afe_gross_spend');
    const budget = kpiOf(model, 'afe_gross_budget');
    lines.push({
      text: `${kpiShort(spend.value, 'usd')} of ${kpiShort(budget.value, 'usd')}, to date`,
      style: 'tileDelta',
    });
  } else {
    const versus: string[] = [];
    if (model.priorMonth)
      versus.push(
        `${kpiChange(id, kpi.unit, kpi.value, kpi.prior)} vs ${monthLabel(model.priorMonth).slice(0, 3)}`,
      );
    if (model.yearAgoMonth)
      versus.push(`${kpiChange(id, kpi.unit, kpi.value, kpi.yearAgo)} vs ${monthLabel(model.yearAgoMonth)}`);
    if (id === 'jib_billed') versus.push(`${kpiShort(kpiOf(model, 'jib_open').value, 'usd')} open`);
    lines.push({ text: versus.join('  ·  ') || 'no earlier complete month', style: 'tileDelta' });
  }
  return {
    table: { widths: ['*'], body: [[{ stack: lines, margin: [8, 6, 8, 6] }]] },
    layout: {
      fillColor: () => hex(COLORS.lightGrey),
      hLineWidth: () => 0,
      vLineWidth: (i: number) => (i === 0 ? 3 : 0),
      vLineColor: () => hex(COLORS.blue),
    },
  };
}

function tiles(model: ReportModel): Content {
  const rows: Content[] = [];
  for (let i = 0; i < TILES.length; i += 4) {
    rows.push({
      columns: TILES.slice(i, i + 4).map((t) => tile(model, t.id, t.title)),
      columnGap: 8,
      margin: [0, 0, 0, 8],
    });
  }
  return { stack: rows };
}

const headerCell = (text: string, alignment: 'left' | 'right' = 'right'): TableCell => ({
  text,
  style: 'th',
  alignment,
});

function keyFigures(model: ReportModel): Content {
  const prior = model.priorMonth ? monthLabel(model.priorMonth) : 'Prior month';
  const yearAgo = model.yearAgoMonth ? monthLabel(model.yearAgoMonth) : 'Year earlier';
  const body: TableCell[][] = [
    [
      headerCell('KPI', 'left'),
      headerCell(monthLabel(model.latestMonth)),
      headerCell(prior),
      headerCell('Change'),
      headerCell(yearAgo),
    ],
    ...model.kpis.map((k): TableCell[] => [
      { text: k.note === 'to date' ? `${k.label} (to date)` : k.label, style: 'td' },
      { text: k.value === null ? (k.note ?? 'n/a') : kpiExact(k.value, k.unit), style: 'tdNum', bold: true },
      { text: k.note === 'to date' ? '' : kpiExact(k.prior, k.unit), style: 'tdNum' },
      { text: k.note === 'to date' ? '' : kpiChange(k.id, k.unit, k.value, k.prior), style: 'tdNum' },
      {
        text: k.note === 'to date' ? '' : k.yearAgo === null ? 'not loaded' : kpiExact(k.yearAgo, k.unit),
        style: 'tdNum',
      },
    ]),
  ];
  return { table: { headerRows: 1, widths: ['*', 90, 85, 65, 80], body }, layout: zebra };
}

const zebra = {
  fillColor: (row: number) => (row === 0 ? hex(COLORS.navy) : row % 2 === 0 ? hex(COLORS.lightGrey) : null),
  hLineWidth: () => 0,
  vLineWidth: () => 0,
  paddingTop: () => 2.5,
  paddingBottom: () => 2.5,
};

function freshnessTable(model: ReportModel): Content {
  const body: TableCell[][] = [
    [
      headerCell('Source', 'left'),
      headerCell('Latest data'),
      headerCell('Last successful load (UTC)'),
      headerCell('Failed batches, 24 h'),
    ],
    ...model.freshness.map((f): TableCell[] => [
      { text: f.source === 'gl' ? 'General ledger (GL service)' : 'EIA Open Data API v2', style: 'td' },
      { text: f.latestDataDate ?? 'none', style: 'tdNum' },
      { text: f.lastSuccessAt?.slice(0, 16) ?? 'never', style: 'tdNum' },
      { text: String(f.failedBatchesLast24h), style: 'tdNum' },
    ]),
  ];
  return { table: { headerRows: 1, widths: ['*', 80, 140, 90], body }, layout: zebra };
}

function qualityBlock(model: ReportModel): Content[] {
  const failed = model.checks.filter((c) => c.status === 'fail');
  const errors = failed.filter((c) => c.severity === 'error');
  const summary =
    model.checks.length === 0
      ? 'no checks recorded'
      : `${model.checks.length} checks recorded: ${model.checks.length - failed.length} passed, ${failed.length - errors.length} warnings, ${errors.length} errors.`;
  const quarantined = model.quarantine.reduce((n, q) => n + q.records, 0);
  const out: Content[] = [
    { text: 'Data quality of the run', style: 'h2' },
    { text: summary, style: 'body' },
  ];
  if (failed.length > 0) {
    out.push({
      ul: failed
        .slice(0, 8)
        .map(
          (c) =>
            `${c.name} (${c.severity}): observed ${c.observed ?? 'n/a'}, threshold ${c.threshold ?? 'n/a'}`,
        ),
      style: 'small',
    });
  }
  out.push({
    text:
      quarantined === 0
        ? 'No records quarantined.'
        : `${quarantined} records quarantined: ${model.quarantine
            .slice(0, 5)
            .map((q) => `${q.records} ${q.source}.${q.entity} (${q.reason})`)
            .join('; ')}.`,
    style: 'body',
  });
  return out;
}

export function summaryDefinition(model: ReportModel): TDocumentDefinitions {
  const chartWidth = 515;
  const generated = model.generatedAt.replace('T', ' ').slice(0, 16);
  return {
    pageSize: 'LETTER',
    pageMargins: [48, 48, 48, 48],
    info: {
      title: `${model.company}: executive summary, ${period(model.latestMonth)}`,
      author: 'energy-pipeline',
      creator: 'energy-pipeline',
    },
    defaultStyle: { font: 'Inter', fontSize: 9.5, color: hex(COLORS.text), lineHeight: 1.2 },
    footer: (page: number, pages: number): Content => ({
      columns: [
        { text: `${model.company} · executive summary · as of ${model.asOf}`, style: 'footer' },
        { text: `Page ${page} of ${pages}`, style: 'footer', alignment: 'right' },
      ],
      margin: [48, 16, 48, 0],
    }),
    content: [
      { text: model.company, style: 'company' },
      { text: `Executive summary: ${monthName(model.latestMonth)}`, style: 'title' },
      {
        text: `${coverageSentence(model)} As of ${model.asOf}; generated ${generated} UTC.`,
        style: 'meta',
      },
      { text: partialMonthsSentence(model), style: 'meta', margin: [0, 0, 0, 12] },
      tiles(model),
      { text: 'What the numbers say', style: 'h2' },
      { ul: narrative(model), style: 'body' },

      { text: 'Trends', style: 'h2', pageBreak: 'before' },
      { svg: productionChart(model), width: chartWidth },
      {
        columns: [
          { svg: realizedChart(model, 'oil'), width: 255 },
          { svg: realizedChart(model, 'gas'), width: 255 },
        ],
        columnGap: 5,
        margin: [0, 6, 0, 6],
      },
      { svg: netbackChart(model), width: chartWidth },

      { text: 'Key figures, to the cent', style: 'h2', pageBreak: 'before' },
      keyFigures(model),
      { text: 'Data freshness', style: 'h2' },
      freshnessTable(model),
      ...qualityBlock(model),
      { text: 'Definitions and sources', style: 'h2' },
      {
        ul: [
          "BOE = oil bbl + NGL bbl + gas mcf / 6. Per-day rates divide the month's net volume by its days.",
          'Netback = net revenue - production taxes - gathering and transportation - LOE; per BOE over net BOE.',
          'Realized price = net revenue / net volume by production month; differential = realized - benchmark monthly average (Henry Hub $/MMBtu compared per mcf as is).',
          'AFE spend: gross capital spend charged to each AFE to date vs its gross budget. JIB open: the AR-JIB balance at month end.',
          `Complete months only: a month enters KPIs once its revenue accruals, revenue actuals and costs are all loaded. Net revenue of ${usd(kpiOf(model, 'net_revenue').value ?? 0)} is the company's net interest.`,
        ],
        style: 'small',
      },
      {
        text: "Source: U.S. Energy Information Administration (EIA), Open Data API v2 (WTI Cushing RWTC, Henry Hub RNGWHHD, crude oil field production by state MCRFPxx1). GL figures: the company's general ledger.",
        style: 'credit',
      },
    ],
    styles: {
      company: { fontSize: 10, bold: true, color: hex(COLORS.blue) },
      title: { fontSize: 20, bold: true, color: hex(COLORS.navy), margin: [0, 2, 0, 4] },
      meta: { fontSize: 8.5, color: hex(COLORS.muted) },
      h2: { fontSize: 12, bold: true, color: hex(COLORS.navy), margin: [0, 10, 0, 5] },
      body: { fontSize: 9.5, margin: [0, 0, 0, 4] },
      small: { fontSize: 8, color: hex(COLORS.muted), margin: [0, 2, 0, 4] },
      tileTitle: { fontSize: 7, bold: true, color: hex(COLORS.muted), characterSpacing: 0.3 },
      tileValue: { fontSize: 15, bold: true, color: hex(COLORS.navy), margin: [0, 3, 0, 2] },
      tileUnit: { fontSize: 8.5, bold: false, color: hex(COLORS.muted) },
      tileNote: { fontSize: 8, italics: true, color: hex(COLORS.orange), margin: [0, 3, 0, 2] },
      tileDelta: { fontSize: 7, color: hex(COLORS.muted) },
      th: { fontSize: 8, bold: true, color: '#FFFFFF' },
      td: { fontSize: 8.5 },
      tdNum: { fontSize: 8.5, alignment: 'right' },
      footer: { fontSize: 7.5, color: hex(COLORS.muted) },
      credit: { fontSize: 7.5, italics: true, color: hex(COLORS.muted), margin: [0, 8, 0, 0] },
    },
  };
}

export async function writeExecutiveSummary(model: ReportModel, file: string): Promise<void> {
  const buffer = await pdfmake.createPdf(summaryDefinition(model)).getBuffer();
  await writeFile(file, buffer);
}
