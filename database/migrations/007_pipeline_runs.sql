-- Up Migration
-- Orchestration records (orchestration/src/workflows): one row per workflow run, one per step of
-- it, and the check results of each run. DBOS keeps its own durable state in the `dbos` schema;
-- these tables are the readable summary the status page, `pipeline status` and the marts use.

ALTER TABLE ops.pipeline_runs DROP CONSTRAINT IF EXISTS pipeline_runs_status_check;
ALTER TABLE ops.pipeline_runs
  ADD CONSTRAINT pipeline_runs_status_check
  CHECK (status IN ('running', 'succeeded', 'warned', 'failed', 'skipped'));
ALTER TABLE ops.pipeline_runs
  ADD COLUMN trigger            text NOT NULL DEFAULT 'cli',
  ADD COLUMN parent_workflow_id text,
  ADD COLUMN recovery_attempts  integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN ops.pipeline_runs.command IS 'Workflow name: run, eia-daily, gl-transform, backfill, backfill-month';
COMMENT ON COLUMN ops.pipeline_runs.workflow_id IS 'DBOS workflow id: derived from the schedule slot or the range, so a slot never runs twice';
COMMENT ON COLUMN ops.pipeline_runs.status IS 'running, succeeded, warned (done with warnings), failed, or skipped (a schedule slot fired while the previous run was still going)';
COMMENT ON COLUMN ops.pipeline_runs.trigger IS 'What started it: cli, a schedule name, backfill, retry';
COMMENT ON COLUMN ops.pipeline_runs.recovery_attempts IS 'How often DBOS restarted the workflow after its process died';
CREATE UNIQUE INDEX pipeline_runs_workflow_id_key ON ops.pipeline_runs (workflow_id);
CREATE INDEX pipeline_runs_started_idx ON ops.pipeline_runs (started_at DESC);

CREATE TABLE ops.pipeline_steps (
  run_id        bigint      NOT NULL REFERENCES ops.pipeline_runs (run_id),
  step          text        NOT NULL,
  position      integer     NOT NULL,
  status        text        NOT NULL DEFAULT 'running'
                            CHECK (status IN ('running', 'ok', 'warn', 'failed', 'skipped')),
  executions    integer     NOT NULL DEFAULT 1,
  started_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at   timestamptz,
  duration_ms   integer,
  counts        jsonb       NOT NULL DEFAULT '{}'::jsonb,
  message       text,
  PRIMARY KEY (run_id, step)
);
COMMENT ON TABLE ops.pipeline_steps IS 'One row per step of a pipeline run with its outcome; executions > 1 means the step was restarted after a crash';
COMMENT ON COLUMN ops.pipeline_steps.executions IS 'Times the step body started: a step DBOS had already checkpointed is never started again';
COMMENT ON COLUMN ops.pipeline_steps.status IS 'ok, warn, failed (the step could not do its job), skipped (blocked by an earlier failure), running';

CREATE INDEX dq_results_run_idx ON ops.dq_results (run_id);

-- Rows loaded per source and entity, for the status page: a summary, like the other report views,
-- so the reporting role never reads batch records (or raw) themselves.
CREATE VIEW ops.report_rows_loaded AS
SELECT source, entity, sum(rows_inserted) AS rows_loaded
FROM ops.ingestion_batches
WHERE status = 'succeeded'
GROUP BY source, entity;
COMMENT ON VIEW ops.report_rows_loaded IS 'Rows inserted by succeeded ingestion batches, per source and entity';
REVOKE INSERT, UPDATE ON ops.report_rows_loaded FROM energy_loader;

-- The status page reads through the reporting role: runs, steps, check results and report views.
GRANT SELECT ON ops.pipeline_runs, ops.pipeline_steps, ops.dq_results, ops.report_rows_loaded TO energy_reporting;

-- Down Migration
DROP VIEW IF EXISTS ops.report_rows_loaded;
DROP INDEX IF EXISTS ops.dq_results_run_idx;
DROP TABLE IF EXISTS ops.pipeline_steps;
DROP INDEX IF EXISTS ops.pipeline_runs_started_idx, ops.pipeline_runs_workflow_id_key;
ALTER TABLE ops.pipeline_runs DROP COLUMN IF EXISTS trigger, DROP COLUMN IF EXISTS parent_workflow_id,
  DROP COLUMN IF EXISTS recovery_attempts;
ALTER TABLE ops.pipeline_runs DROP CONSTRAINT IF EXISTS pipeline_runs_status_check;
ALTER TABLE ops.pipeline_runs ADD CONSTRAINT pipeline_runs_status_check
  CHECK (status IN ('running', 'succeeded', 'failed'));
