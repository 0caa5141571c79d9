/** One formatted table on a worksheet: styled header, number formats per column, widths, banding. */
import type { Worksheet } from '@cj-tech-master/excelts';
import { COLORS } from '../theme.ts';

/** Every font set names its face: without one, LibreOffice falls back to a serif. */
export const FONT = { name: 'Calibri', size: 11 } as const;

/** Excel number formats, one per unit (the PDF's format.ts renders the same units). */
export const NUMFMT = {
  usd: '"$"#,##0.00;[Red]-"$"#,##0.00',
  usdPerUnit: '"$"#,##0.00;[Red]-"$"#,##0.00',
  rate: '#,##0.00',
  volume: '#,##0.00',
  count: '#,##0',
  pct: '0.00"%"',
  share: '0.0000%',
  text: '@',
} as const;

export interface Column<T> {
  header: string;
  width: number;
  value: (row: T) => string | number | null;
  numFmt?: string;
}

export interface TableRange {
  headerRow: number;
  firstRow: number;
  lastRow: number;
  /** Absolute reference of column `index` (0-based) over the data rows: 'Sheet'!$B$2:$B$11. */
  ref(index: number): string;
}

export const columnLetter = (index: number): string => {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
};

export function writeTable<T>(
  ws: Worksheet,
  options: { startRow: number; startCol?: number; columns: Column<T>[]; rows: T[]; setWidths?: boolean },
): TableRange {
  const { startRow, columns, rows } = options;
  const startCol = options.startCol ?? 0;
  const header = ws.getRow(startRow);
  columns.forEach((column, i) => {
    const cell = header.getCell(startCol + i + 1);
    cell.value = column.header;
    cell.font = {
      ...FONT,
      bold: true,
      color: { argb: `FF${'FFFFFF'}` },
    };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${COLORS.navy}` } };
    cell.alignment = { vertical: 'middle', horizontal: i === 0 ? 'left' : 'center', wrapText: true };
    if (options.setWidths !== false) ws.getColumn(startCol + i + 1).width = column.width;
  });
  header.height = 30;
  rows.forEach((row, r) => {
    const line = ws.getRow(startRow + 1 + r);
    columns.forEach((column, i) => {
      const cell = line.getCell(startCol + i + 1);
      const value = column.value(row);
      cell.value = value;
      if (column.numFmt && typeof value === 'number') cell.numFmt = column.numFmt;
      if (r % 2 === 1)
        cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: `FF${COLORS.lightGrey}` } };
      cell.border = { bottom: { style: 'hair', color: { argb: `FF${COLORS.rule}` } } };
    });
  });
  const firstRow = startRow + 1;
  const lastRow = startRow + Math.max(rows.length, 1);
  const sheet = `'${ws.name.replace(/'/g, "''")}'`;
  return {
    headerRow: startRow,
    firstRow,
    lastRow,
    ref: (index) => {
      const col = columnLetter(startCol + index);
      return `${sheet}!$${col}$${firstRow}:$${col}$${lastRow}`;
    },
  };
}

/** A header table at the top of a sheet: frozen header row and an auto-filter over the table. */
export function writeMainTable<T>(ws: Worksheet, columns: Column<T>[], rows: T[]): TableRange {
  const range = writeTable(ws, { startRow: 1, columns, rows });
  ws.views = [{ state: 'frozen', ySplit: 1, xSplit: 0 }];
  ws.autoFilter = `A1:${columnLetter(columns.length - 1)}${range.lastRow}`;
  return range;
}

/** A caption line (a sub-table's title or a note) in bold or muted text. */
export function caption(ws: Worksheet, row: number, text: string, style: 'title' | 'note' = 'title'): void {
  const cell = ws.getRow(row).getCell(1);
  cell.value = text;
  cell.font =
    style === 'title'
      ? { ...FONT, bold: true, size: 12, color: { argb: `FF${COLORS.navy}` } }
      : { ...FONT, italic: true, color: { argb: `FF${COLORS.muted}` } };
}
