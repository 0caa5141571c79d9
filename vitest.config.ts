import net from 'node:net';
import os from 'node:os';
import { defineConfig } from 'vitest/config';
import SlowestFirst from './tests/setup/sequencer.ts';

/**
 * Every database test runs twice: on the embedded PostgreSQL (the project's default) and on the
 * PostgreSQL 15 server at TEST_PG15_URL, so each feature is proven on the oldest supported major.
 */
const PG15_URL = process.env.TEST_PG15_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || 5432), timeout: 1000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export default defineConfig(async () => {
  const withPg15 = await reachable(PG15_URL);
  if (!withPg15) {
    if (process.env.CI) throw new Error(`CI needs the PostgreSQL 15 server at ${PG15_URL}`);
    console.warn(`\n[tests] no PostgreSQL at ${PG15_URL}: running on the embedded server only\n`);
  }
  const shared = {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/setup/global.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  };
  // The end-to-end suites (a whole pipeline, the reports, run.sh, orchestration) prove behaviour that
  // does not depend on the server's major version; the SQL they run is proven on PostgreSQL 15 by
  // the dbt, ingestion and database suites. Running them once keeps CI inside its time budget.
  const onceOnly = [
    'tests/reports/**',
    'tests/delivery/**',
    'tests/orchestration/backfill.test.ts',
    'tests/orchestration/pipeline-run.test.ts',
    'tests/orchestration/serve.test.ts',
    'tests/orchestration/two-workers.test.ts',
    'tests/dbt/realism.test.ts',
    'tests/chaos/chaos.test.ts',
    'tests/orchestration/transform-lost-connection.test.ts',
  ];
  // A latency bound on a 2-core machine means something only when the machine is not also running
  // a dozen other suites: these files run in a project of their own, after every other project
  // has finished (groupOrder), one file at a time.
  const alone = ['tests/api/event-loop.test.ts'];
  return {
    test: {
      // Vitest's default is one worker per core minus one: a single worker on the 2-core CI
      // machine, so the whole-pipeline suites, which mostly wait on dbt and the pipeline CLI,
      // ran one after the other. Three at once keep both cores busy (tests/README.md).
      maxWorkers: Math.max(3, os.availableParallelism() - 1),
      sequence: { sequencer: SlowestFirst },
      reporters: ['default', './tests/setup/summary-reporter.ts'],
      projects: [
        {
          test: {
            ...shared,
            exclude: alone,
            name: 'embedded',
            env: { DATABASE_URL: '', TEST_ADMIN_URL: '' },
          },
        },
        {
          test: {
            include: alone,
            name: 'alone',
            testTimeout: shared.testTimeout,
            sequence: { groupOrder: 1 },
          },
        },
        ...(withPg15
          ? [
              {
                test: {
                  ...shared,
                  exclude: [...onceOnly, ...alone],
                  name: 'pg15',
                  env: { DATABASE_URL: '', TEST_ADMIN_URL: PG15_URL },
                },
              },
            ]
          : []),
      ],
    },
  };
});
