/**
 * The Excel dashboard: a Summary sheet of KPIs, one sheet per topic, native charts bound to the
 * cell ranges of the tables they sit under (not pictures), explicit series colours so every
 * spreadsheet program draws them the same. Renders a ReportModel; computes nothing.
 */
import { Workbook, type Worksheet } from '@cj-tech-master/excelts';
import { installChartSupport } from '@cj-tech-master/excelts/chart';
import type { Kpi, KpiId, KpiUnit, NetbackByBasin, ReportModel } from '../model.ts';
import { kpiChange, percentChangeMeaningful } from '../format.ts';
import { monthLabel, monthName, period } from '../months.ts';
import { coverageSentence, partialMonthsSentence } from '../narrative.ts';
import { COLORS, SERIES } from '../theme.ts';
import { caption, FONT, NUMFMT, writeMainTable, writeTable, type Column, type TableRange } from './table.ts';

installChartSupport();

/** The Summary sheet's KPI table starts here (tests read it back). */
export const SUMMARY_KPI_HEADER_ROW = 14;

/** The Summary's tiles: the eight KPIs a reader looks at first, four to a row. */
const TILES: Array<{ id: KpiId; title: string }> = [
  { id: 'boe_per_day', title: 'NET PRODUCTION' },
  { id: 'net_revenue', title: 'NET REVENUE' },
  { id: 'netback_per_boe', title: 'NETBACK' },
  { id: 'loe_per_boe', title: 'LOE' },
  { id: 'oil_differential', title: 'OIL DIFFERENTIAL VS WTI' },
  { id: 'gas_differential', title: 'GAS DIFFERENTIAL VS HENRY HUB' },
  { id: 'afe_spend_pct_of_budget', title: 'AFE SPEND OF GROSS BUDGET' },
  { id: 'jib_billed', title: 'JIB BILLED IN THE MONTH' },
];
/** Tile columns (1-based first and last): A, C:D, E:F, G:H. */
const TILE_COLUMNS: Array<[number, number]> = [
  [1, 1],
  [3, 4],
  [5, 6],
  [7, 8],
];

/** A tile's number format carries its unit, so the cell stays a number. */
const TILE_FORMAT: Record<KpiUnit, string> = {
  usd: '"$"#,##0.00,,"M";[Red]-"$"#,##0.00,,"M"',
  usd_per_boe: '"$"#,##0.00" /BOE";[Red]-"$"#,##0.00" /BOE"',
  usd_per_bbl: '"$"#,##0.00" /bbl";[Red]-"$"#,##0.00" /bbl"',
  usd_per_mcf: '"$"#,##0.00" /mcf";[Red]-"$"#,##0.00" /mcf"',
  boe_per_day: '#,##0" BOE/d"',
  bbl_per_day: '#,##0" bbl/d"',
  mcf_per_day: '#,##0" mcf/d"',
  pct: '0.0"%"',
};

function tiles(ws: Worksheet, model: ReportModel, firstRow: number): void {
  TILES.forEach((tile, i) => {
    const kpi = model.kpis.find((k) => k.id === tile.id)!;
    const [from, to] = TILE_COLUMNS[i % 4]!;
    const top = firstRow + Math.floor(i / 4) * 4;
    const fill = {
      type: 'pattern' as const,
      pattern: 'solid' as const,
      fgColor: { argb: `FF${COLORS.lightGrey}` },
    };
    const lines: Array<[number, string | number | null, object, string?]> = [
      [top, tile.title, { ...FONT, size: 8, bold: true, color: { argb: `FF${COLORS.muted}` } }],
      [
        top + 1,
        kpi.value ?? kpi.note ?? 'n/a',
        { ...FONT, size: 16, bold: true, color: { argb: `FF${COLORS.navy}` } },
        TILE_FORMAT[kpi.unit],
      ],
      [top + 2, tileDelta(kpi, model), { ...FONT, size: 8, color: { argb: `FF${COLORS.muted}` } }],
    ];
    for (const [row, value, font, numFmt] of lines) {
      if (to > from) ws.mergeCells(row, from, row, to);
      const cell = ws.getRow(row).getCell(from);
      cell.value = value;
      cell.font = font;
      if (numFmt && typeof value === 'number') cell.numFmt = numFmt;
      cell.alignment = { horizontal: 'left', vertical: 'middle', indent: 1 };
      for (let col = from; col <= to; col++) {
        const part = ws.getRow(row).getCell(col);
        part.fill = fill;
        if (col === from) part.border = { left: { style: 'thick', color: { argb: `FF${COLORS.blue}` } } };
      }
    }
    ws.getRow(top + 1).height = 24;
  });
}

function tileDelta(kpi: Kpi, model: ReportModel): string {
  if (kpi.note === 'to date') return `to date, all AFEs`;
  const parts: string[] = [];
  if (model.priorMonth)
    parts.push(`${kpiChange(kpi.id, kpi.unit, kpi.value, kpi.prior)} vs ${monthLabel(model.priorMonth)}`);
  if (model.yearAgoMonth)
    parts.push(`${kpiChange(kpi.id, kpi.unit, kpi.value, kpi.yearAgo)} vs ${monthLabel(model.yearAgoMonth)}`);
  return parts.join(' · ') || 'no earlier complete month';
}

const KPI_FORMAT: Record<KpiUnit, string> = {
  usd: NUMFMT.usd,
  usd_per_boe: NUMFMT.usdPerUnit,
  usd_per_bbl: NUMFMT.usdPerUnit,
  usd_per_mcf: NUMFMT.usdPerUnit,
  boe_per_day: NUMFMT.rate,
  bbl_per_day: NUMFMT.rate,
  mcf_per_day: NUMFMT.rate,
  pct: NUMFMT.pct,
};

const UNIT_LABEL: Record<KpiUnit, string> = {
  usd: 'USD',
  usd_per_boe: 'USD/BOE',
  usd_per_bbl: 'USD/bbl',
  usd_per_mcf: 'USD/mcf',
  boe_per_day: 'BOE/d',
  bbl_per_day: 'bbl/d',
  mcf_per_day: 'mcf/d',
  pct: '% of budget',
};

const CHART_HEIGHT_ROWS = 20;

export function buildDashboard(model: ReportModel): Workbook {
  const wb = new Workbook();
  wb.creator = 'energy-pipeline';
  wb.created = new Date(model.generatedAt);
  wb.modified = new Date(model.generatedAt);
  summarySheet(addSheet(wb, 'Summary'), model);
  productionSheet(addSheet(wb, 'Production'), model);
  pnlSheet(addSheet(wb, 'P&L by basin'), model);
  netbackSheet(addSheet(wb, 'Netback by basin'), model);
  realizedSheet(addSheet(wb, 'Realized vs benchmark'), model);
  loeSheet(addSheet(wb, 'LOE by well'), model);
  afeSheet(addSheet(wb, 'AFE budget vs actual'), model);
  afeDetailSheet(addSheet(wb, 'AFE detail'), model);
  jibSheet(addSheet(wb, 'JIB'), model);
  eiaSheet(addSheet(wb, 'Production vs EIA'), model);
  qualitySheet(addSheet(wb, 'Data quality'), model);
  return wb;
}

/** Printed (and converted to PDF) one sheet wide, landscape, so no column is cut off. */
function addSheet(wb: Workbook, name: string): Worksheet {
  return wb.addWorksheet(name, {
    pageSetup: { orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
}

export async function writeDashboard(model: ReportModel, file: string): Promise<void> {
  await buildDashboard(model).xlsx.writeFile(file);
}

/**
 * A topic sheet: one table at the top (frozen header, auto-filter) of `rows`, then what goes
 * under it (a chart bound to the table's ranges, a note). Every topic sheet is written by this.
 */
function topicSheet<T>(spec: {
  rows: (model: ReportModel) => T[];
  columns: (model: ReportModel) => Column<T>[];
  under?: (ws: Worksheet, range: TableRange, model: ReportModel) => void;
}): (ws: Worksheet, model: ReportModel) => void {
  return (ws, model) => {
    const range = writeMainTable(ws, spec.columns(model), spec.rows(model));
    spec.under?.(ws, range, model);
  };
}

/** Rows below a table where its chart goes, two rows of air in between. */
function below(
  range: TableRange,
  col = 0,
  width = 9,
): { tl: { col: number; row: number }; br: { col: number; row: number } } {
  const row = range.lastRow + 2;
  return { tl: { col, row }, br: { col: col + width, row: row + CHART_HEIGHT_ROWS } };
}

const change = (kpi: Kpi, base: number | null): number | null =>
  kpi.value === null || base === null ? null : Math.round((kpi.value - base) * 100) / 100;
const changePct = (kpi: Kpi, base: number | null): number | null =>
  kpi.value === null || base === null || base === 0 || !percentChangeMeaningful(kpi.id)
    ? null
    : Math.round(((kpi.value - base) / Math.abs(base)) * 10000) / 100;

function summarySheet(ws: Worksheet, model: ReportModel): void {
  ws.getRow(1).getCell(1).value = `${model.company}: energy dashboard`;
  ws.getRow(1).getCell(1).font = {
    ...FONT,
    bold: true,
    size: 16,
    color: { argb: `FF${COLORS.navy}` },
  };
  ws.getRow(2).getCell(1).value =
    `Latest complete month: ${monthName(model.latestMonth)}. ${coverageSentence(model)}`;
  ws.getRow(3).getCell(1).value = partialMonthsSentence(model);
  ws.getRow(3).getCell(1).font = {
    ...FONT,
    italic: true,
    color: { argb: `FF${COLORS.muted}` },
  };
  ws.getRow(4).getCell(1).value =
    `As of ${model.asOf}; generated ${model.generatedAt.replace('T', ' ').slice(0, 16)} UTC.`;
  ws.getRow(4).getCell(1).font = {
    ...FONT,
    color: { argb: `FF${COLORS.muted}` },
  };
  tiles(ws, model, 6);

  const columns: Column<Kpi>[] = [
    { header: 'KPI', width: 34, value: (k) => k.label },
    { header: 'Unit', width: 12, value: (k) => UNIT_LABEL[k.unit] },
    { header: monthLabel(model.latestMonth), width: 17, value: (k) => k.value },
    {
      header: model.priorMonth ? monthLabel(model.priorMonth) : 'Prior month',
      width: 17,
      value: (k) => k.prior,
    },
    { header: 'Change on month', width: 16, value: (k) => change(k, k.prior) },
    { header: 'Change %', width: 11, value: (k) => changePct(k, k.prior), numFmt: NUMFMT.pct },
    {
      header: model.yearAgoMonth ? monthLabel(model.yearAgoMonth) : 'Year earlier',
      width: 17,
      value: (k) => k.yearAgo,
    },
    { header: 'Change on year %', width: 16, value: (k) => changePct(k, k.yearAgo), numFmt: NUMFMT.pct },
    { header: 'Note', width: 44, value: (k) => note(k, model) },
  ];
  const range = writeTable(ws, { startRow: SUMMARY_KPI_HEADER_ROW, columns, rows: model.kpis });
  // number formats depend on each KPI's unit, not on the column
  model.kpis.forEach((kpi, i) => {
    const row = ws.getRow(range.firstRow + i);
    for (const col of [3, 4, 5, 7]) {
      const cell = row.getCell(col);
      if (typeof cell.value === 'number') cell.numFmt = KPI_FORMAT[kpi.unit];
    }
    row.getCell(1).font = {
      ...FONT,
      bold: true,
    };
    row.getCell(3).font = {
      ...FONT,
      bold: true,
      color: { argb: `FF${COLORS.navy}` },
    };
  });
  // a dashboard page: no grid, nothing frozen (the tiles and the table fit one screen)
  ws.views = [{ showGridLines: false }];

  const freshRow = range.lastRow + 3;
  caption(ws, freshRow - 1, 'Data freshness');
  writeTable(ws, {
    startRow: freshRow,
    setWidths: false,
    columns: [
      {
        header: 'Source',
        width: 34,
        value: (f) => (f.source === 'gl' ? 'General ledger (GL service)' : 'EIA Open Data'),
      },
      { header: 'Latest data', width: 12, value: (f) => f.latestDataDate },
      {
        header: 'Last successful load (UTC)',
        width: 17,
        value: (f) => f.lastSuccessAt?.slice(0, 16) ?? 'never',
      },
      {
        header: 'Hours since (at build)',
        width: 17,
        value: (f) => f.hoursSinceLastSuccess,
        numFmt: NUMFMT.rate,
      },
      {
        header: 'Failed batches, 24 h',
        width: 16,
        value: (f) => f.failedBatchesLast24h,
        numFmt: NUMFMT.count,
      },
    ],
    rows: model.freshness,
  });
  ws.getRow(freshRow + model.freshness.length + 2).getCell(1).value =
    'Source: U.S. Energy Information Administration (EIA), Open Data API v2: WTI Cushing (RWTC), Henry Hub (RNGWHHD), crude oil field production by state (MCRFPxx1).';
}

function note(kpi: Kpi, model: ReportModel): string {
  if (kpi.note) return kpi.note === 'to date' ? `to date, all AFEs (as of ${model.asOf})` : kpi.note;
  if (kpi.unit === 'usd_per_mcf' && kpi.id === 'henry_hub') return 'USD/MMBtu, compared per mcf as is';
  return '';
}

const productionSheet = topicSheet({
  rows: (model) => model.monthly,
  columns: () => [
    { header: 'Month', width: 10, value: (m) => period(m.month) },
    { header: 'Days', width: 6, value: (m) => m.days, numFmt: NUMFMT.count },
    { header: 'Net BOE/d', width: 12, value: (m) => m.boePerDay, numFmt: NUMFMT.rate },
    { header: 'Oil bbl/d', width: 12, value: (m) => m.oilBblPerDay, numFmt: NUMFMT.rate },
    { header: 'Gas mcf/d', width: 12, value: (m) => m.gasMcfPerDay, numFmt: NUMFMT.rate },
    { header: 'Net oil bbl', width: 13, value: (m) => m.oilBbl, numFmt: NUMFMT.volume },
    { header: 'Net gas mcf', width: 14, value: (m) => m.gasMcf, numFmt: NUMFMT.volume },
    { header: 'Net NGL bbl', width: 13, value: (m) => m.nglBbl, numFmt: NUMFMT.volume },
    { header: 'Net BOE', width: 13, value: (m) => m.netBoe, numFmt: NUMFMT.volume },
    { header: 'Net revenue', width: 16, value: (m) => m.netRevenue, numFmt: NUMFMT.usd },
    { header: 'LOE/BOE', width: 10, value: (m) => m.loePerBoe, numFmt: NUMFMT.usdPerUnit },
    { header: 'Netback/BOE', width: 12, value: (m) => m.netbackPerBoe, numFmt: NUMFMT.usdPerUnit },
  ],
  under: (ws, range) => {
    ws.addLineChart(
      {
        title: 'Net production (complete months)',
        series: [
          {
            name: 'Net BOE/d',
            categories: range.ref(0),
            values: range.ref(2),
            line: SERIES[0],
            lineWidth: 2.25,
            smooth: false,
            marker: { symbol: 'circle', size: 5, fill: SERIES[0], border: SERIES[0] },
          },
          {
            name: 'Oil bbl/d',
            categories: range.ref(0),
            values: range.ref(3),
            line: SERIES[1],
            lineWidth: 2.25,
            smooth: false,
            marker: { symbol: 'circle', size: 5, fill: SERIES[1], border: SERIES[1] },
          },
        ],
        showLegend: true,
        legendPosition: 'b',
        valueAxis: { title: 'per day', numFmt: '#,##0', majorGridlines: true },
        categoryAxis: { title: 'Month' },
      },
      below(range, 0, 10),
    );
  },
});

const pnlSheet = topicSheet({
  rows: (model) => model.basins,
  columns: () => [
    { header: 'Month', width: 10, value: (b) => period(b.month) },
    { header: 'Basin', width: 36, value: (b) => b.basin },
    { header: 'Net BOE', width: 12, value: (b) => b.netBoe, numFmt: NUMFMT.volume },
    { header: 'Net revenue', width: 15, value: (b) => b.netRevenue, numFmt: NUMFMT.usd },
    { header: 'Production taxes', width: 14, value: (b) => b.productionTaxes, numFmt: NUMFMT.usd },
    { header: 'Transportation', width: 14, value: (b) => b.transportation, numFmt: NUMFMT.usd },
    { header: 'LOE', width: 14, value: (b) => b.loe, numFmt: NUMFMT.usd },
    { header: 'Netback', width: 15, value: (b) => b.netback, numFmt: NUMFMT.usd },
    { header: 'Netback/BOE', width: 12, value: (b) => b.netbackPerBoe, numFmt: NUMFMT.usdPerUnit },
    { header: 'COPAS overhead', width: 14, value: (b) => b.overhead, numFmt: NUMFMT.usd },
    { header: 'DD&A', width: 14, value: (b) => b.dda, numFmt: NUMFMT.usd },
    { header: 'Operating income', width: 15, value: (b) => b.operatingIncome, numFmt: NUMFMT.usd },
  ],
});

const netbackLabels = (model: ReportModel) => ({
  priorLabel: model.priorMonth ? monthLabel(model.priorMonth) : 'Prior month',
  latestLabel: monthLabel(model.latestMonth),
});

const netbackSheet = topicSheet({
  rows: (model) => model.netbackByBasin,
  columns: (model) => {
    const { priorLabel, latestLabel } = netbackLabels(model);
    return [
      { header: 'Basin', width: 36, value: (r: NetbackByBasin) => r.basin },
      { header: `Netback/BOE ${priorLabel}`, width: 16, value: (r) => r.prior, numFmt: NUMFMT.usdPerUnit },
      { header: `Netback/BOE ${latestLabel}`, width: 16, value: (r) => r.latest, numFmt: NUMFMT.usdPerUnit },
      { header: `Netback ${latestLabel}`, width: 16, value: (r) => r.netback, numFmt: NUMFMT.usd },
      { header: `Net BOE ${latestLabel}`, width: 14, value: (r) => r.netBoe, numFmt: NUMFMT.volume },
    ];
  },
  under: (ws, range, model) => {
    const { priorLabel, latestLabel } = netbackLabels(model);
    ws.addColumnChart(
      {
        title: `Netback per BOE by basin: ${priorLabel} vs ${latestLabel}`,
        series: [
          {
            name: priorLabel,
            categories: range.ref(0),
            values: range.ref(1),
            fill: SERIES[3],
            line: SERIES[3],
          },
          {
            name: latestLabel,
            categories: range.ref(0),
            values: range.ref(2),
            fill: SERIES[0],
            line: SERIES[0],
          },
        ],
        showLegend: true,
        legendPosition: 'b',
        gapWidth: 80,
        valueAxis: { title: 'USD per BOE', numFmt: '"$"#,##0', majorGridlines: true },
        categoryAxis: { textRotation: -30 },
      },
      below(range, 0, 5),
    );
  },
});

const realizedSheet = topicSheet({
  rows: (model) => model.realized,
  columns: () => [
    { header: 'Month', width: 10, value: (r) => period(r.month) },
    { header: 'Realized oil $/bbl', width: 14, value: (r) => r.oilRealized, numFmt: NUMFMT.usdPerUnit },
    { header: 'WTI Cushing $/bbl', width: 14, value: (r) => r.wti, numFmt: NUMFMT.usdPerUnit },
    {
      header: 'Oil differential $/bbl',
      width: 14,
      value: (r) => r.oilDifferential,
      numFmt: NUMFMT.usdPerUnit,
    },
    { header: 'Realized gas $/mcf', width: 14, value: (r) => r.gasRealized, numFmt: NUMFMT.usdPerUnit },
    { header: 'Henry Hub $/MMBtu', width: 14, value: (r) => r.henryHub, numFmt: NUMFMT.usdPerUnit },
    {
      header: 'Gas differential $/mcf',
      width: 14,
      value: (r) => r.gasDifferential,
      numFmt: NUMFMT.usdPerUnit,
    },
    { header: 'Note', width: 40, value: (r) => r.note ?? '' },
  ],
  under: (ws, range, model) => {
    const line = (name: string, values: string, color: string) => ({
      name,
      categories: range.ref(0),
      values,
      line: color,
      lineWidth: 2.25,
      smooth: false,
      marker: { symbol: 'circle' as const, size: 5, fill: color, border: color },
    });
    // start the price axis near the prices, not at zero, so the gap between the lines shows
    const floor = (values: Array<number | null>, step: number) =>
      Math.max(
        0,
        Math.floor(Math.min(...values.filter((v): v is number => v !== null)) / step) * step - step,
      );
    const oilMin = floor(
      model.realized.flatMap((r) => [r.oilRealized, r.wti]),
      10,
    );
    const gasMin = floor(
      model.realized.flatMap((r) => [r.gasRealized, r.henryHub]),
      0.5,
    );
    const first = below(range, 0, 8);
    const second = {
      tl: { col: 0, row: first.br.row + 2 },
      br: { col: 8, row: first.br.row + 2 + CHART_HEIGHT_ROWS },
    };
    ws.addLineChart(
      {
        title: 'Realized oil vs WTI (USD/bbl)',
        series: [line('Realized oil', range.ref(1), SERIES[0]), line('WTI Cushing', range.ref(2), SERIES[1])],
        showLegend: true,
        legendPosition: 'b',
        valueAxis: { numFmt: '"$"#,##0', majorGridlines: true, min: oilMin },
      },
      first,
    );
    ws.addLineChart(
      {
        title: 'Realized gas vs Henry Hub (USD/mcf)',
        series: [line('Realized gas', range.ref(4), SERIES[0]), line('Henry Hub', range.ref(5), SERIES[1])],
        showLegend: true,
        legendPosition: 'b',
        valueAxis: { numFmt: '"$"#,##0.00', majorGridlines: true, min: gasMin },
      },
      second,
    );
  },
});

const loeSheet = topicSheet({
  rows: (model) => model.loeByWell,
  columns: () => [
    { header: 'Group', width: 30, value: (w) => w.group },
    { header: 'Rank', width: 6, value: (w) => w.rank, numFmt: NUMFMT.count },
    { header: 'Well', width: 12, value: (w) => w.wellId },
    { header: 'Well name', width: 26, value: (w) => w.wellName },
    { header: 'Basin', width: 36, value: (w) => w.basin },
    { header: 'LOE', width: 14, value: (w) => w.loe, numFmt: NUMFMT.usd },
    { header: 'Net BOE', width: 12, value: (w) => w.netBoe, numFmt: NUMFMT.volume },
    { header: 'LOE/BOE', width: 11, value: (w) => w.loePerBoe, numFmt: NUMFMT.usdPerUnit },
  ],
  under: (ws, range, model) => {
    caption(
      ws,
      range.lastRow + 2,
      `Wells with net volume in ${monthName(model.latestMonth)}, ranked by LOE per BOE.`,
      'note',
    );
  },
});

const afeSheet = topicSheet({
  rows: (model) => model.afeByType,
  columns: () => [
    { header: 'AFE type', width: 14, value: (a) => a.afeType },
    { header: 'AFEs', width: 8, value: (a) => a.afes, numFmt: NUMFMT.count },
    { header: 'Gross budget', width: 18, value: (a) => a.grossBudget, numFmt: NUMFMT.usd },
    { header: 'Gross spend to date', width: 18, value: (a) => a.grossSpend, numFmt: NUMFMT.usd },
    { header: 'Variance (spend - budget)', width: 20, value: (a) => a.variance, numFmt: NUMFMT.usd },
  ],
  under: (ws, range) => {
    ws.addColumnChart(
      {
        title: 'AFE gross budget vs gross spend to date, by AFE type',
        series: [
          {
            name: 'Gross budget',
            categories: range.ref(0),
            values: range.ref(2),
            fill: SERIES[3],
            line: SERIES[3],
          },
          {
            name: 'Gross spend',
            categories: range.ref(0),
            values: range.ref(3),
            fill: SERIES[0],
            line: SERIES[0],
          },
        ],
        showLegend: true,
        legendPosition: 'b',
        gapWidth: 80,
        valueAxis: { title: 'USD millions', numFmt: '"$"#,##0,,"M"', majorGridlines: true },
      },
      below(range, 0, 5),
    );
  },
});

const afeDetailSheet = topicSheet({
  rows: (model) => model.afes,
  columns: () => [
    { header: 'AFE', width: 16, value: (a) => a.afeNumber },
    { header: 'Type', width: 10, value: (a) => a.afeType },
    { header: 'Well', width: 26, value: (a) => a.wellName },
    { header: 'Basin', width: 36, value: (a) => a.basin },
    { header: 'Status', width: 8, value: (a) => a.status },
    { header: 'Gross budget', width: 16, value: (a) => a.grossBudget, numFmt: NUMFMT.usd },
    { header: 'Gross spend', width: 16, value: (a) => a.grossSpend, numFmt: NUMFMT.usd },
    { header: 'Variance', width: 16, value: (a) => a.variance, numFmt: NUMFMT.usd },
    { header: 'Spend % of budget', width: 12, value: (a) => a.spendPctOfBudget, numFmt: NUMFMT.pct },
  ],
});

const jibSheet = topicSheet({
  rows: (model) => model.jib,
  columns: () => [
    { header: 'Owner', width: 36, value: (j) => j.ownerName },
    { header: 'Billing period', width: 10, value: (j) => j.billingPeriod },
    { header: 'Service period', width: 10, value: (j) => j.servicePeriod },
    { header: 'Invoices', width: 9, value: (j) => j.invoices, numFmt: NUMFMT.count },
    { header: 'Wells', width: 7, value: (j) => j.wellsBilled, numFmt: NUMFMT.count },
    { header: 'Billed', width: 15, value: (j) => j.billed, numFmt: NUMFMT.usd },
    { header: 'COPAS overhead', width: 14, value: (j) => j.overhead, numFmt: NUMFMT.usd },
    { header: 'Expected (WI share)', width: 15, value: (j) => j.expected, numFmt: NUMFMT.usd },
    { header: 'Variance', width: 13, value: (j) => j.variance, numFmt: NUMFMT.usd },
  ],
});

const eiaSheet = topicSheet({
  rows: (model) => model.productionVsEia,
  columns: () => [
    { header: 'State', width: 7, value: (e) => e.state },
    { header: 'Month', width: 10, value: (e) => period(e.month) },
    { header: 'Company net oil bbl', width: 16, value: (e) => e.companyOilBbl, numFmt: NUMFMT.volume },
    { header: 'EIA field production bbl', width: 18, value: (e) => e.eiaBbl, numFmt: NUMFMT.volume },
    { header: 'Company share', width: 12, value: (e) => e.share, numFmt: NUMFMT.share },
    { header: 'Note', width: 40, value: (e) => e.note ?? '' },
  ],
  under: (ws, range, model) => {
    caption(
      ws,
      range.lastRow + 2,
      `EIA state production (MCRFPxx1, thousand barrels x 1,000); latest month published: ${model.latestEiaMonth ? period(model.latestEiaMonth) : 'none'}. US = the whole company vs the US total.`,
      'note',
    );
  },
});

function qualitySheet(ws: Worksheet, model: ReportModel): void {
  if (model.checks.length === 0) {
    ws.getRow(1).getCell(1).value = 'Checks of the run';
    ws.getRow(1).getCell(1).font = {
      ...FONT,
      bold: true,
      size: 12,
      color: { argb: `FF${COLORS.navy}` },
    };
    ws.getRow(2).getCell(1).value = 'no checks recorded (run npm run pipeline -- check)';
    ws.getColumn(1).width = 48;
  } else {
    writeMainTable(
      ws,
      [
        { header: 'Check', width: 48, value: (c) => c.name },
        { header: 'Severity', width: 9, value: (c) => c.severity },
        { header: 'Status', width: 8, value: (c) => c.status },
        { header: 'Observed', width: 14, value: (c) => c.observed, numFmt: NUMFMT.rate },
        { header: 'Threshold', width: 14, value: (c) => c.threshold, numFmt: NUMFMT.rate },
        { header: 'Checked at (UTC)', width: 20, value: (c) => c.checkedAt?.slice(0, 19) ?? '' },
      ],
      model.checks,
    );
    model.checks.forEach((c, i) => {
      if (c.status === 'fail') {
        ws.getRow(2 + i).getCell(3).font = {
          ...FONT,
          bold: true,
          color: { argb: `FF${c.severity === 'error' ? COLORS.red : COLORS.orange}` },
        };
      }
    });
  }
  const start = Math.max(model.checks.length + 1, 2) + 3;
  caption(ws, start - 1, 'Quarantined records by reason');
  if (model.quarantine.length === 0) {
    ws.getRow(start).getCell(1).value = 'no records quarantined';
    return;
  }
  writeTable(ws, {
    startRow: start,
    setWidths: false,
    columns: [
      { header: 'Reason', width: 48, value: (q) => q.reason },
      { header: 'Source', width: 9, value: (q) => q.source },
      { header: 'Entity', width: 8, value: (q) => q.entity },
      { header: 'Records', width: 14, value: (q) => q.records, numFmt: NUMFMT.count },
      { header: 'Last seen', width: 14, value: (q) => q.lastSeen.slice(0, 19) },
    ],
    rows: model.quarantine,
  });
}
