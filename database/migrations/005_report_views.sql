-- Up Migration
-- The only ops objects the reporting role may read: summaries made for the reports.

CREATE VIEW ops.report_latest_batches AS
SELECT DISTINCT ON (source, entity)
       source, entity, batch_id, status, started_at, finished_at,
       rows_received, rows_inserted, rows_unchanged, rows_revised, rows_quarantined, error
FROM ops.ingestion_batches
ORDER BY source, entity, started_at DESC;
COMMENT ON VIEW ops.report_latest_batches IS 'Latest ingestion batch per source and entity';

CREATE VIEW ops.report_quarantine_summary AS
SELECT source, entity, reason, count(*) AS records, max(quarantined_at) AS last_seen
FROM ops.quarantine
GROUP BY source, entity, reason;
COMMENT ON VIEW ops.report_quarantine_summary IS 'Quarantined records by source, entity and reason';

GRANT SELECT ON ops.report_latest_batches, ops.report_quarantine_summary TO energy_reporting;
-- default privileges gave the loader write access to every ops relation; views are read-only
REVOKE INSERT, UPDATE ON ops.report_latest_batches, ops.report_quarantine_summary FROM energy_loader;

-- Down Migration
DROP VIEW IF EXISTS ops.report_quarantine_summary, ops.report_latest_batches;
