/**
 * The shell entry points and their helpers: shellcheck-clean, `--help` lists every mode, bad
 * arguments exit 2, and the replay as-of date is the last day every replayed dataset covers.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';
import { replayAsOf, replayCoverage } from '../../scripts/replay-as-of.ts';
import { runLinters, runTool } from './python-tool.ts';

const SHARED_EIA = path.resolve(PROJECT_ROOT, '../shared/data/eia');
const fixtures = mkdtempSync(path.join(tmpdir(), 'replay-as-of-'));
afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

describe.runIf(inject('projectName') === 'embedded')('run.sh and the shell helpers', () => {
  it.runIf(runLinters)(
    'pass shellcheck',
    () => {
      const run = runTool('shellcheck', ['-x', 'run.sh', '.ci/run', 'scripts/python-tools.sh']);
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    },
    180_000,
  );

  it('--help lists every mode; an unknown argument exits 2', () => {
    const help = spawnSync('bash', ['run.sh', '--help'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(help.status).toBe(0);
    for (const mode of ['--serve', '--docker', '--stop', '--help', '--skip-install'])
      expect(help.stdout).toContain(mode);
    const bad = spawnSync('bash', ['run.sh', '--frobnicate'], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown argument: --frobnicate');
  });

  it('finds uv the same way run.sh and CI do, and dbt in dbt/.venv', () => {
    const run = spawnSync(
      'bash',
      ['-c', 'source scripts/python-tools.sh && ensure_uv >/dev/null && "$UV" --version && dbt_bin'],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(0);
    const [version, dbt] = run.stdout.trim().split('\n');
    expect(version).toMatch(/^uv \d+\.\d+/);
    expect(dbt).toBe(path.join(PROJECT_ROOT, 'dbt', '.venv', 'bin', 'dbt'));
  });
});

describe('replay as-of date', () => {
  it.runIf(inject('projectName') === 'embedded')(
    'is 2024-01-31 for the shared EIA data: prices run to 2026-08, state production ends 2024-01',
    () => {
      const coverage = Object.fromEntries(
        replayCoverage(SHARED_EIA).map((d) => [path.basename(d.file), d.coversThrough]),
      );
      expect(coverage['wti-daily.csv']).toBe('2026-08-18');
      expect(coverage['henry-hub-monthly.csv']).toBe('2026-07-31');
      expect(coverage['crude-production-by-state-monthly-MBBL.csv']).toBe('2024-01-31');
      expect(replayAsOf(SHARED_EIA)).toBe('2024-01-31');
    },
  );

  it('takes the earliest end over daily and monthly files, in any row order', () => {
    const dir = mkdtempSync(path.join(fixtures, 'set-'));
    writeFileSync(
      path.join(dir, 'wti-daily.csv'),
      'Date,Price\r\n2024-03-08,80\r\n2024-03-11,81\r\n2024-03-01,79\r\n',
    );
    writeFileSync(path.join(dir, 'wti-monthly.csv'), 'Date,Price\n2024-02-15,78\n');
    writeFileSync(
      path.join(dir, 'production-monthly.csv'),
      'period,series,series-description,value,units\n2024-02,MCRFPTX1,x,1,MBBL\n2023-12,MCRFPND1,x,1,MBBL\n',
    );
    writeFileSync(path.join(dir, 'notes.txt'), 'not a dataset');
    expect(replayAsOf(dir)).toBe('2024-02-29');
    writeFileSync(path.join(dir, 'henry-hub-daily.csv'), 'Date,Price\n2024-02-20,2.1\n');
    expect(replayAsOf(dir)).toBe('2024-02-20');
    expect(replayAsOf(mkdtempSync(path.join(fixtures, 'empty-')))).toBeUndefined();
  });
});
