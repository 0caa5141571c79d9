-- Up Migration
-- A batch left `running` by a process that died (or lost its database) before committing is not
-- a failure of the data or the source: nothing of it was written, and the next load redoes its
-- work. It gets a status of its own, `abandoned`, set by the next load that takes the entity's
-- lock (ingestion/src/load/lock.ts), with the reason in `error`. Batches closed before this
-- migration as `failed` with an `abandoned: …` reason are moved to the new status.

ALTER TABLE ops.ingestion_batches DROP CONSTRAINT IF EXISTS ingestion_batches_status_check;
ALTER TABLE ops.ingestion_batches
  ADD CONSTRAINT ingestion_batches_status_check
  CHECK (status IN ('running', 'succeeded', 'failed', 'abandoned'));
COMMENT ON COLUMN ops.ingestion_batches.status IS
  'running, succeeded, failed (the load ended with an error), or abandoned (its process died before committing; closed by the next load)';

UPDATE ops.ingestion_batches SET status = 'abandoned'
 WHERE status = 'failed' AND error LIKE 'abandoned:%';

-- Down Migration
UPDATE ops.ingestion_batches SET status = 'failed' WHERE status = 'abandoned';
ALTER TABLE ops.ingestion_batches DROP CONSTRAINT IF EXISTS ingestion_batches_status_check;
ALTER TABLE ops.ingestion_batches
  ADD CONSTRAINT ingestion_batches_status_check
  CHECK (status IN ('running', 'succeeded', 'failed'));
