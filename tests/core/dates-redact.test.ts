/** The one date helper and the one redaction helper every part uses. */
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isIsoDate, isIsoMonth, parseIsoDateMs } from '../../core/dates.ts';
import { redactUrl, scrub } from '../../core/redact.ts';
import { describeUrl } from '../../database/src/connection.ts';

describe('core/dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoDate('2024-01-31T00:00:00Z')).toBe(false);
    expect(isIsoMonth('2024-12')).toBe(true);
    expect(isIsoMonth('2024-00')).toBe(false);
  });

  it('keeps years below 100 as written (Date.UTC would make 0001 into 1901)', () => {
    expect(new Date(parseIsoDateMs('0001-01-01')!).toISOString().slice(0, 10)).toBe('0001-01-01');
  });

  it('adds and counts days across month and leap-year ends', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2023-01-31', '2024-01-31')).toBe(365);
  });
});

describe('core/redact', () => {
  it('removes passwords and credential parameters from URLs', () => {
    expect(redactUrl('postgresql://loader:s3cret@db:5432/energy')).toBe(
      'postgresql://loader:redacted@db:5432/energy',
    );
    expect(redactUrl('https://api.eia.gov/v2/x?api_key=abc&frequency=daily')).toBe(
      'https://api.eia.gov/v2/x?api_key=redacted&frequency=daily',
    );
    expect(describeUrl('postgresql://u:pw@h/d')).not.toContain('pw');
  });

  it('scrubs secrets and credential parameters from any text', () => {
    expect(scrub('GET /x?token=abc failed', [])).toBe('GET /x?token=redacted failed');
    expect(scrub('bearer tok-123456 refused', ['tok-123456'])).toBe('bearer [redacted] refused');
  });
});
