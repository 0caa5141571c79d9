/**
 * dbt's test results as check results: every test and unit test of the last `dbt build` or
 * `dbt test` (target/run_results.json), with its severity from the manifest, and every model
 * that failed to build (an error: the marts behind it are stale).
 */
import path from 'node:path';
import { readJson, readRunResults, type DbtNodeResult } from '../transform/dbt.ts';
import type { CheckResult, Severity } from './result.ts';

interface Manifest {
  nodes: Record<string, { config?: { severity?: string } }>;
}

export async function readDbtResults(
  targetPath: string,
): Promise<{ results: CheckResult[]; skippedTests: number }> {
  const summary = await readRunResults(targetPath);
  let manifest: Manifest = { nodes: {} };
  try {
    manifest = await readJson<Manifest>(path.join(targetPath, 'manifest.json'));
  } catch {
    // without a manifest, severities come from the statuses alone (warn is only ever warn)
  }
  const results: CheckResult[] = [];
  let skippedTests = 0;
  for (const node of summary.nodes) {
    const result = toCheck(node, manifest);
    if (result) results.push(result);
    else if (node.status === 'skipped' && ['test', 'unit_test'].includes(node.resourceType)) skippedTests++;
  }
  return { results, skippedTests };
}

function toCheck(node: DbtNodeResult, manifest: Manifest): CheckResult | undefined {
  const details = {
    node: node.uniqueId,
    dbt_status: node.status,
    message: node.message,
    execution_s: Number(node.executionTime.toFixed(3)),
  };
  if (node.resourceType === 'test' || node.resourceType === 'unit_test') {
    const configured = manifest.nodes[node.uniqueId]?.config?.severity?.toLowerCase();
    const severity: Severity = node.status === 'warn' || configured === 'warn' ? 'warn' : 'error';
    // A test dbt skipped because a model upstream failed is not a result: the failed model is
    // (dbt-build:<model>, an error), and the check step counts the skipped tests.
    if (node.status === 'skipped') return undefined;
    const passed = node.status === 'pass' || node.status === 'success';
    return {
      name: `dbt:${node.name}`,
      severity,
      status: passed ? 'pass' : 'fail',
      observed: node.failures ?? (passed ? 0 : null),
      threshold: 0,
      details,
    };
  }
  if (['error', 'runtime error'].includes(node.status)) {
    return {
      name: `dbt-build:${node.name}`,
      severity: 'error',
      status: 'fail',
      observed: null,
      threshold: null,
      details,
    };
  }
  return undefined;
}
