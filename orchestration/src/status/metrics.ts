/** Prometheus text for /metrics, built from the same collected status (prom-client formats it). */
import { Gauge, Registry } from 'prom-client';
import type { StatusData } from './collect.ts';

export async function renderMetrics(status: StatusData): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });

  const runs = gauge('pipeline_runs', 'Pipeline runs recorded in ops.pipeline_runs, by workflow and status', [
    'workflow',
    'status',
  ]);
  for (const r of status.runCounts) runs.set({ workflow: r.command, status: r.status }, r.runs);

  const last = gauge('pipeline_last_run_failed', '1 when the most recent run (not skipped) failed', [
    'workflow',
  ]);
  if (status.lastRun)
    last.set({ workflow: status.lastRun.command }, status.lastRun.status === 'failed' ? 1 : 0);

  const steps = gauge('pipeline_step_duration_seconds', 'Duration of each step of the most recent run', [
    'workflow',
    'step',
    'status',
  ]);
  for (const s of status.lastRun?.steps ?? []) {
    if (s.duration_ms !== null)
      steps.set({ workflow: status.lastRun!.command, step: s.step, status: s.status }, s.duration_ms / 1000);
  }

  const rows = gauge('pipeline_rows_loaded', 'Rows inserted into raw by succeeded ingestion batches', [
    'source',
    'entity',
  ]);
  for (const r of status.rowsLoaded) rows.set({ source: r.source, entity: r.entity }, r.rows);

  const fresh = gauge('pipeline_dataset_freshness_seconds', 'Age of each dataset at its last check', [
    'dataset',
  ]);
  const target = gauge('pipeline_dataset_freshness_target_seconds', 'Freshness target of each dataset', [
    'dataset',
  ]);
  for (const f of status.freshness) {
    const factor = f.unit === 'days' ? 86_400 : 1;
    if (f.observed !== null) fresh.set({ dataset: f.dataset }, f.observed * factor);
    if (f.threshold !== null) target.set({ dataset: f.dataset }, f.threshold * factor);
  }

  const failed = gauge(
    'pipeline_failed_checks',
    'Failed checks of the most recent checked run, by severity',
    ['severity'],
  );
  failed.set(
    { severity: 'error' },
    status.checks.results.filter((c) => c.status === 'fail' && c.severity === 'error').length,
  );
  failed.set(
    { severity: 'warn' },
    status.checks.results.filter((c) => c.status === 'fail' && c.severity === 'warn').length,
  );

  if (status.queue)
    gauge('pipeline_queue_depth', 'Workflows queued or running on the pipeline queue').set(
      status.queue.depth,
    );
  if (status.follower) {
    gauge('pipeline_follower_up', '1 while the GL stream follower is connected').set(
      status.follower.state === 'streaming' ? 1 : 0,
    );
    gauge('pipeline_follower_restarts', 'Times the GL stream follower was restarted').set(
      status.follower.restarts,
    );
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
