/**
 * Starts the longest suites first. On the 2-core CI machine the whole-pipeline suites are most of
 * the run and mostly wait on child processes (dbt, the pipeline CLI, run.sh), so several run at
 * once; started last, one of them would run alone at the end while the other workers sit idle.
 * Vitest's own order (failed first, then by the durations it cached, else by file size) is kept
 * for every file not listed here, and on a fresh clone there is no cache to go by.
 */
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Seconds per file in a serial run on the CI machine (`--reporter=verbose`), the longest first.
 * Only the order matters; refresh it when a suite's cost changes a lot.
 */
const SECONDS: Record<string, number> = {
  'tests/chaos/chaos.test.ts': 540,
  'tests/orchestration/two-workers.test.ts': 300,
  'tests/delivery/run-sh.test.ts': 273,
  'tests/orchestration/pipeline-run.test.ts': 189,
  'tests/orchestration/serve.test.ts': 169,
  'tests/reports/reports.test.ts': 150,
  'tests/dbt/realism.test.ts': 140,
  'tests/orchestration/backfill.test.ts': 123,
  'tests/orchestration/transform-lost-connection.test.ts': 150,
  'tests/e2e/pipeline.test.ts': 100,
  'tests/dbt/transform.test.ts': 90,
  'tests/dbt/partial-window.test.ts': 58,
  'tests/ingestion/eia-crash.test.ts': 58,
  'tests/ingestion/eia-ingest.test.ts': 53,
};

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (spec: TestSpecification) => SECONDS[path.relative(root, spec.moduleId)] ?? 0;
    // Array.prototype.sort is stable: unlisted files keep vitest's order, after the listed ones
    return [...(await super.sort(files))].sort((a, b) => seconds(b) - seconds(a));
  }
}
