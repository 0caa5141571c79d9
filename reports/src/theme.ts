/** Colours and names shared by the workbook and the PDF, so both read as one report. */
export const COLORS = {
  navy: '1F3A5F',
  blue: '2E75B6',
  orange: 'E07B39',
  green: '4E9A59',
  grey: '7F8C8D',
  red: 'C0392B',
  lightBlue: 'DCE8F5',
  lightGrey: 'F2F4F7',
  rule: 'C9D3DF',
  text: '222B36',
  muted: '5D6B7A',
} as const;

/** Series colours in order (production, benchmarks, budget vs spend...). */
export const SERIES = [COLORS.blue, COLORS.orange, COLORS.green, COLORS.grey] as const;

export const hex = (color: string): string => `#${color}`;
