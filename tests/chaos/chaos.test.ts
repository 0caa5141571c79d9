/**
 * `npm run chaos` at 1x (300 wells, GL_AS_OF pinned like run.sh's replay mode), a fixed seed:
 * three SIGKILLs of the orchestrator (GL ingestion, dbt, checks or reports), one database restart
 * under dbt, 503s and cut bodies from the GL service through the proxy; raw and every mart must
 * then equal the undisturbed run's. The harness runs its own embedded clusters (the restart
 * disturbs no other suite). Embedded project only: two whole pipeline runs are its cost.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { PROJECT_ROOT } from '../../core/config.ts';

const SEED = 20261201;
// The target is 10 minutes on a quiet 2-vCPU runner; the bound is wider so a busy runner does not turn slowness into a failure.
const LIMIT_MS = 20 * 60_000;

describe.runIf(inject('projectName') === 'embedded')('npm run chaos (1x)', () => {
  it(
    'recovers from every fault with raw and marts equal to an undisturbed run',
    { timeout: LIMIT_MS },
    async () => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', path.join(PROJECT_ROOT, 'chaos/main.ts'), '--seed', String(SEED)],
        { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));

      expect(code, output).toBe(0);
      expect(output).toContain(`seed ${SEED}, scale 1x (GL_WELLS=300`);
      expect(output.match(/FAULT {2}SIGKILL the orchestrator/g)?.length, output).toBe(3);
      expect(output).toMatch(/FAULT {2}SIGKILL .* during the GL ingestion: step running: ingest-gl/);
      expect(output).toMatch(/FAULT {2}SIGKILL .* during dbt: step running: transform/);
      expect(output).toContain('FAULT  the database stops');
      expect(output).toMatch(/the proxy applied \d+ status, 2 truncate/);
      expect(output).toMatch(
        /recovered: 1 run record\(s\); the last warned \(reference: warned\), resumed as run:/,
      );
      expect(output).toMatch(/PASS: raw and every mart equal the undisturbed run \(\d+ tables/);
    },
  );
});
