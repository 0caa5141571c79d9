-- Up Migration
-- GL landing tables. Lines are time-series: partitioned by month of posting_date. A partitioned
-- table's unique keys must contain the partition key, hence PRIMARY KEY (posting_date, line_id);
-- line_id alone is indexed (not unique) for the "known line, different payload" check.

CREATE TABLE raw.gl_lines (
  posting_date         date          NOT NULL,
  line_id              text          NOT NULL,
  journal_id           text          NOT NULL,
  line_no              integer       NOT NULL,
  accounting_period    text          NOT NULL,
  account_number       text          NOT NULL,
  debit                numeric(18,2) NOT NULL,
  credit               numeric(18,2) NOT NULL,
  source               text          NOT NULL,
  description          text,
  well_id              text,
  production_month     text,
  product              text,
  afe_number           text,
  jib_number           text,
  owner_id             text,
  volume               numeric(18,4),
  volume_uom           text,
  unit_price           numeric(18,6),
  reverses_journal_id  text,
  payload_hash         text          NOT NULL,
  batch_id             bigint        NOT NULL,
  ingested_at          timestamptz   NOT NULL DEFAULT now(),
  PRIMARY KEY (posting_date, line_id)
) PARTITION BY RANGE (posting_date);
COMMENT ON TABLE raw.gl_lines IS 'Posted GL lines as served by the GL service; immutable once loaded';
COMMENT ON COLUMN raw.gl_lines.payload_hash IS 'sha256 of the line''s canonical JSON; a known line_id with another hash is quarantined';
COMMENT ON COLUMN raw.gl_lines.batch_id IS 'ops.ingestion_batches.batch_id of the load that inserted the line (dbt increments on it)';

CREATE TABLE raw.gl_lines_default PARTITION OF raw.gl_lines DEFAULT;
CREATE INDEX gl_lines_line_id_idx ON raw.gl_lines (line_id);
CREATE INDEX gl_lines_batch_idx ON raw.gl_lines (batch_id);
CREATE INDEX gl_lines_posting_brin ON raw.gl_lines USING brin (posting_date);
CREATE INDEX gl_lines_ingested_brin ON raw.gl_lines USING brin (ingested_at);

-- Creates the monthly partitions covering [from_date, to_date]. SECURITY DEFINER so the loader,
-- which may not create tables, can still make room ahead of a load. Rows that an earlier load
-- parked in the DEFAULT partition are moved into the new partition instead of failing it.
CREATE FUNCTION raw.ensure_gl_partitions(from_date date, to_date date)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  month_start date := date_trunc('month', from_date)::date;
  month_end   date;
  part_name   text;
  created     integer := 0;
BEGIN
  IF from_date IS NULL OR to_date IS NULL OR to_date < from_date THEN
    RAISE EXCEPTION 'ensure_gl_partitions: invalid range % .. %', from_date, to_date;
  END IF;
  -- one creator at a time per database; the key is arbitrary but fixed
  PERFORM pg_advisory_xact_lock(727274001);
  WHILE month_start <= to_date LOOP
    month_end := (month_start + interval '1 month')::date;
    part_name := format('gl_lines_%s', to_char(month_start, 'YYYY_MM'));
    IF to_regclass(format('raw.%I', part_name)) IS NULL THEN
      IF EXISTS (SELECT 1 FROM raw.gl_lines_default WHERE posting_date >= month_start AND posting_date < month_end) THEN
        EXECUTE format('CREATE TABLE raw.%I (LIKE raw.gl_lines INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name);
        EXECUTE format(
          'WITH moved AS (DELETE FROM raw.gl_lines_default WHERE posting_date >= %L AND posting_date < %L RETURNING *)
           INSERT INTO raw.%I SELECT * FROM moved', month_start, month_end, part_name);
        EXECUTE format('ALTER TABLE raw.gl_lines ATTACH PARTITION raw.%I FOR VALUES FROM (%L) TO (%L)',
                       part_name, month_start, month_end);
      ELSE
        EXECUTE format('CREATE TABLE raw.%I PARTITION OF raw.gl_lines FOR VALUES FROM (%L) TO (%L)',
                       part_name, month_start, month_end);
      END IF;
      created := created + 1;
    END IF;
    month_start := month_end;
  END LOOP;
  RETURN created;
END
$$;
REVOKE EXECUTE ON FUNCTION raw.ensure_gl_partitions(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION raw.ensure_gl_partitions(date, date) TO energy_loader;

-- Two years back and three months ahead are ready from the start; loads extend the range.
SELECT raw.ensure_gl_partitions((date_trunc('month', now()) - interval '24 months')::date,
                                (date_trunc('month', now()) + interval '3 months')::date);

-- Reference data: small, mutable snapshots. One row per business key, latest payload wins
-- (the hash tells whether a load changed anything).
CREATE TABLE raw.gl_wells (
  well_id       text        PRIMARY KEY,
  payload       jsonb       NOT NULL,
  payload_hash  text        NOT NULL,
  batch_id      bigint      NOT NULL,
  ingested_at   timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE raw.gl_wells IS 'Wells with their basin, state, decline profile and ownership (GET /v1/wells)';

CREATE TABLE raw.gl_owners (LIKE raw.gl_wells INCLUDING ALL);
ALTER TABLE raw.gl_owners RENAME COLUMN well_id TO owner_id;
COMMENT ON TABLE raw.gl_owners IS 'Working-interest, royalty and ORRI owners (GET /v1/owners)';

CREATE TABLE raw.gl_accounts (LIKE raw.gl_wells INCLUDING ALL);
ALTER TABLE raw.gl_accounts RENAME COLUMN well_id TO account_number;
COMMENT ON TABLE raw.gl_accounts IS 'Chart of accounts (GET /v1/accounts)';

CREATE TABLE raw.gl_afes (LIKE raw.gl_wells INCLUDING ALL);
ALTER TABLE raw.gl_afes RENAME COLUMN well_id TO afe_number;
COMMENT ON TABLE raw.gl_afes IS 'Authorities for expenditure (GET /v1/afes)';

-- Down Migration
DROP TABLE IF EXISTS raw.gl_afes, raw.gl_accounts, raw.gl_owners, raw.gl_wells;
DROP FUNCTION IF EXISTS raw.ensure_gl_partitions(date, date);
DROP TABLE IF EXISTS raw.gl_lines;
