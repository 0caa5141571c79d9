/**
 * What a person sees in a terminal: one line per event (the message, plus a few short facts when
 * the message carries no number), every field only at LOG_LEVEL=debug, and the complete JSON
 * records in .data/logs/<name>.log. LOG_FORMAT=pretty gives the terminal format off a TTY, which is
 * how this test (and run.sh in CI) sees it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { compactFacts } from '../../core/logger.ts';

const dataDir = mkdtempSync(path.join(tmpdir(), 'logger-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const SCRIPT = `
import { createLogger } from ${JSON.stringify(path.join(PROJECT_ROOT, 'core/logger.ts'))};
const log = createLogger('pipeline', {}, 2);
log.info({ series: 'RWTC', received: 2910, inserted: 2910, window: { from: '2015-01-01' }, apiKey: 'k-secret-1' }, 'EIA RWTC: 2910 received, 2910 new');
log.info({ entity: 'wells', inserted: 20, unchanged: 0, token: 't-secret-2' }, 'GL wells loaded');
log.debug({ detail: 'only at debug' }, 'a debug event');
`;

function run(level: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: { ...process.env, LOG_FORMAT: 'pretty', LOG_LEVEL: level, PIPELINE_DATA_DIR: dataDir },
  });
}

describe.runIf(inject('projectName') === 'embedded')('terminal logging', () => {
  it('prints one line per event at info, fields hidden, short facts when the message has no number', () => {
    const result = run('info');
    expect(result.status, result.stderr).toBe(0);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: EIA RWTC: 2910 received, 2910 new$/);
    expect(lines[1]).toMatch(/INFO: GL wells loaded entity=wells inserted=20 unchanged=0$/);
    expect(result.stderr).not.toContain('secret');
  });

  it('shows every field at debug, still one line per event', () => {
    const result = run('debug');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('"window":{"from":"2015-01-01"}');
    expect(lines[2]).toMatch(/DEBUG: a debug event .*only at debug/);
    expect(result.stderr).not.toContain('secret');
  });

  it('keeps the complete records, redacted, in .data/logs/<name>.log', () => {
    const records = readFileSync(path.join(dataDir, 'logs', 'pipeline.log'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const eia = records.find((r) => r.series === 'RWTC');
    expect(eia).toMatchObject({ received: 2910, window: { from: '2015-01-01' }, apiKey: '[redacted]' });
    expect(JSON.stringify(records)).not.toContain('secret');
  });

  it('compacts only primitive, short, unredacted facts', () => {
    expect(compactFacts({ msg: '3 rows', rows: 3 })).toBe('');
    expect(
      compactFacts({ msg: 'done', ok: true, n: 1, long: 'x'.repeat(40), obj: { a: 1 }, token: '[redacted]' }),
    ).toBe('ok=true n=1');
  });
});
