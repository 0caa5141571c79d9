/**
 * One data-quality result, as stored in ops.dq_results. Only integrity failures are errors
 * (unbalanced journals, reconciliation mismatches, a failed dbt test of error severity): they
 * block the report and fail the run. Everything else (freshness, volume, quarantine, abandoned loads) warns.
 */
export type Severity = 'warn' | 'error';

export interface CheckResult {
  /** Stable name, `<kind>:<subject>`, e.g. `dbt:unique_fct_gl_lines_line_id`, `freshness:eia.RWTC`. */
  name: string;
  severity: Severity;
  status: 'pass' | 'fail';
  observed?: number | null;
  threshold?: number | null;
  /** What a person needs to act: the message, dataset, target, sample ids. */
  details: Record<string, unknown>;
}

export const isBlocking = (r: CheckResult) => r.severity === 'error' && r.status === 'fail';
