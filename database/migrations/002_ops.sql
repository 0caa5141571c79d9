-- Up Migration
-- Pipeline state. Every load is a batch; raw rows point at the batch that brought them.

CREATE TABLE ops.ingestion_batches (
  batch_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source            text        NOT NULL CHECK (source IN ('eia', 'gl')),
  entity            text        NOT NULL,
  status            text        NOT NULL DEFAULT 'running'
                                CHECK (status IN ('running', 'succeeded', 'failed')),
  params            jsonb       NOT NULL DEFAULT '{}'::jsonb,
  started_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at       timestamptz,
  rows_received     integer     NOT NULL DEFAULT 0,
  rows_inserted     integer     NOT NULL DEFAULT 0,
  rows_unchanged    integer     NOT NULL DEFAULT 0,
  rows_revised      integer     NOT NULL DEFAULT 0,
  rows_quarantined  integer     NOT NULL DEFAULT 0,
  warnings          jsonb       NOT NULL DEFAULT '[]'::jsonb,
  error             text
);
COMMENT ON TABLE ops.ingestion_batches IS 'One row per load attempt, with counts, timings, status and error';
CREATE INDEX ingestion_batches_source_entity_idx ON ops.ingestion_batches (source, entity, started_at DESC);
CREATE INDEX ingestion_batches_started_brin ON ops.ingestion_batches USING brin (started_at);

CREATE TABLE ops.watermarks (
  source      text        NOT NULL,
  key         text        NOT NULL,
  value       text        NOT NULL,
  batch_id    bigint      REFERENCES ops.ingestion_batches (batch_id),
  updated_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (source, key)
);
COMMENT ON TABLE ops.watermarks IS 'High-water mark per source and key (an EIA series'' last period, the GL backfill''s last date)';

CREATE TABLE ops.stream_cursors (
  stream         text        PRIMARY KEY,
  last_event_id  text        NOT NULL,
  batch_id       bigint      REFERENCES ops.ingestion_batches (batch_id),
  updated_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE ops.stream_cursors IS 'Last SSE event id stored per stream, advanced in the same transaction as its rows';

CREATE TABLE ops.quarantine (
  quarantine_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id        bigint      REFERENCES ops.ingestion_batches (batch_id),
  source          text        NOT NULL,
  entity          text        NOT NULL,
  record_key      text,
  reason          text        NOT NULL,
  payload         jsonb,
  payload_text    text,
  quarantined_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE ops.quarantine IS 'Records that failed validation or conflict with what is stored, kept with the reason; never loaded';
COMMENT ON COLUMN ops.quarantine.payload_text IS 'The record as received when it was not valid JSON';
CREATE INDEX quarantine_batch_idx ON ops.quarantine (batch_id);

CREATE TABLE ops.pipeline_runs (
  run_id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  command      text        NOT NULL,
  workflow_id  text,
  status       text        NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed')),
  started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  finished_at  timestamptz,
  details      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  error        text
);
COMMENT ON TABLE ops.pipeline_runs IS 'One row per pipeline command or workflow run';

CREATE TABLE ops.dq_results (
  result_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id       bigint      REFERENCES ops.pipeline_runs (run_id),
  check_name   text        NOT NULL,
  severity     text        NOT NULL CHECK (severity IN ('warn', 'error')),
  status       text        NOT NULL CHECK (status IN ('pass', 'fail')),
  observed     numeric,
  threshold    numeric,
  details      jsonb       NOT NULL DEFAULT '{}'::jsonb,
  checked_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
COMMENT ON TABLE ops.dq_results IS 'Outcome of every data-quality check (dbt tests and the pipeline''s own)';
CREATE INDEX dq_results_checked_brin ON ops.dq_results USING brin (checked_at);

-- Down Migration
DROP TABLE IF EXISTS ops.dq_results, ops.pipeline_runs, ops.quarantine, ops.stream_cursors, ops.watermarks, ops.ingestion_batches;
