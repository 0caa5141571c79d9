import type { Outcome } from '../../../core/outcome.ts';

const MARK: Record<string, string> = { ok: 'ok  ', warn: 'warn', failed: 'FAIL' };

/** What a finished run did, one line per step, on stdout (logs go to stderr). */
export function printRunSummary(summary: {
  runId: number;
  workflowId: string;
  status: string;
  failedStep: string | null;
  steps: Record<string, Outcome>;
}): void {
  console.log(`run ${summary.runId} (${summary.workflowId}): ${summary.status}`);
  for (const [name, outcome] of Object.entries(summary.steps)) {
    const seconds = (outcome.durationMs / 1000).toFixed(1).padStart(6);
    console.log(
      `  ${MARK[outcome.status] ?? outcome.status} ${name.padEnd(11)} ${seconds}s  ${outcome.message}`,
    );
  }
  if (summary.failedStep)
    console.log(`retry from the failed step: npm run pipeline -- retry ${summary.workflowId}`);
}
