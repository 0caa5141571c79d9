/**
 * The summary's charts as vector SVG, rendered server-side by Apache ECharts (no browser). pdfmake
 * draws SVG through svg-to-pdfkit, which mishandles `currentColor` and `xlink:href`: every colour
 * here is explicit, there are no images, and the output is checked for both.
 */
import * as echarts from 'echarts';
import type { ReportModel } from '../model.ts';
import { monthLabel, period } from '../months.ts';
import { COLORS, hex, SERIES } from '../theme.ts';

export const CHART_FONT = 'Inter';
export const CHART_WIDTH = 520;
export const CHART_HEIGHT = 190;

function render(option: echarts.EChartsCoreOption, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: CHART_FONT, color: hex(COLORS.text), fontSize: 10 },
      color: SERIES.map(hex),
      ...option,
    });
    const svg = chart.renderToSVGString();
    if (/currentColor|xlink:href/.test(svg))
      throw new Error('chart SVG uses currentColor or xlink:href, which the PDF renderer cannot draw');
    return svg;
  } finally {
    chart.dispose();
  }
}

const axisLabel = { color: hex(COLORS.muted), fontFamily: CHART_FONT, fontSize: 9 };
const splitLine = { lineStyle: { color: hex(COLORS.rule), width: 0.6 } };
const titleStyle = {
  fontFamily: CHART_FONT,
  fontSize: 11,
  fontWeight: 'bold' as const,
  color: hex(COLORS.navy),
};
const legend = {
  bottom: 0,
  textStyle: { fontFamily: CHART_FONT, fontSize: 9, color: hex(COLORS.text) },
  itemWidth: 14,
  itemHeight: 8,
};
const grid = { left: 58, right: 16, top: 46, bottom: 44 };
const money = (v: number, digits = 0) => `${v < 0 ? '-' : ''}$${Math.abs(v).toFixed(digits)}`;

const lineSeries = (name: string, data: Array<number | null>, color: string) => ({
  name,
  type: 'line',
  data,
  symbol: 'circle',
  symbolSize: 4,
  lineStyle: { width: 2, color: hex(color) },
  itemStyle: { color: hex(color) },
  connectNulls: false,
});

export function productionChart(model: ReportModel): string {
  return render({
    title: { text: 'Net production, complete months (per day)', left: 0, textStyle: titleStyle },
    legend,
    grid,
    xAxis: { type: 'category', data: model.monthly.map((m) => monthLabel(m.month)), axisLabel },
    yAxis: {
      type: 'value',
      axisLabel: { ...axisLabel, formatter: (v: number) => v.toLocaleString('en-US') },
      splitLine,
    },
    series: [
      lineSeries(
        'Net BOE/d',
        model.monthly.map((m) => m.boePerDay),
        SERIES[0],
      ),
      lineSeries(
        'Oil bbl/d',
        model.monthly.map((m) => m.oilBblPerDay),
        SERIES[1],
      ),
    ],
  });
}

export function netbackChart(model: ReportModel): string {
  const rows = model.netbackByBasin;
  const priorLabel = model.priorMonth ? monthLabel(model.priorMonth) : 'Prior month';
  return render(
    {
      title: { text: 'Netback per BOE by basin (USD)', left: 0, textStyle: titleStyle },
      legend,
      grid: { left: 190, right: 20, top: 40, bottom: 40 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.basin),
        axisLabel: { ...axisLabel, width: 180, overflow: 'truncate' },
      },
      xAxis: { type: 'value', axisLabel: { ...axisLabel, formatter: (v: number) => money(v) }, splitLine },
      series: [
        {
          name: priorLabel,
          type: 'bar',
          data: rows.map((r) => r.prior),
          itemStyle: { color: hex(SERIES[3]) },
          barGap: '10%',
        },
        {
          name: monthLabel(model.latestMonth),
          type: 'bar',
          data: rows.map((r) => r.latest),
          itemStyle: { color: hex(SERIES[0]) },
        },
      ],
    },
    CHART_WIDTH,
    Math.max(CHART_HEIGHT, 70 + rows.length * 20),
  );
}

export function realizedChart(model: ReportModel, product: 'oil' | 'gas'): string {
  const oil = product === 'oil';
  return render(
    {
      title: {
        text: oil ? 'Realized oil vs WTI Cushing (USD/bbl)' : 'Realized gas vs Henry Hub (USD/mcf)',
        left: 0,
        textStyle: titleStyle,
      },
      legend,
      grid: { left: 44, right: 12, top: 46, bottom: 44 },
      xAxis: { type: 'category', data: model.realized.map((m) => period(m.month).slice(2)), axisLabel },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { ...axisLabel, formatter: (v: number) => money(v, oil ? 0 : 2) },
        splitLine,
      },
      series: [
        lineSeries(
          oil ? 'Realized oil' : 'Realized gas',
          model.realized.map((m) => (oil ? m.oilRealized : m.gasRealized)),
          SERIES[0],
        ),
        lineSeries(
          oil ? 'WTI Cushing' : 'Henry Hub',
          model.realized.map((m) => (oil ? m.wti : m.henryHub)),
          SERIES[1],
        ),
      ],
    },
    255,
    CHART_HEIGHT,
  );
}
