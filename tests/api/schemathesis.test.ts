/**
 * The OpenAPI fuzzer, in `npm test`: schemathesis (from PyPI, through uvx) must find no server
 * error and no schema violation. The service needs no database, so it runs in one project only.
 * Outside CI a machine without uvx skips it with a message; in CI its absence fails.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';

const hasUvx = spawnSync('uvx', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasUvx && !process.env.CI) console.warn('[tests] uvx not found (pip install uv): schemathesis skipped');

it.runIf(inject('projectName') === 'embedded' && (hasUvx || process.env.CI))(
  'schemathesis finds no server error and no schema violation',
  () => {
    const run = spawnSync('bash', [path.join(PROJECT_ROOT, 'tests/api/schemathesis.sh')], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-6000)).toBe(0);
  },
  300_000,
);
