-- Up Migration
-- Raw is append-only for the loader except where the data model says a row changes. Posted GL
-- lines, EIA response bodies and superseded EIA values are history: the loader may insert them,
-- never update or delete them (it never needed to: GL lines go in with ON CONFLICT DO NOTHING,
-- the archive and the revisions with plain INSERT). Reference snapshots (one row per key, latest
-- payload wins) and the current EIA value (revised in place after its old value is copied to
-- raw.eia_observation_revisions) keep UPDATE.

-- New raw tables (and every new GL partition) start insert-only; UPDATE is granted per table.
ALTER DEFAULT PRIVILEGES IN SCHEMA raw REVOKE UPDATE ON TABLES FROM energy_loader;
REVOKE UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA raw FROM energy_loader;
GRANT UPDATE ON raw.gl_wells, raw.gl_owners, raw.gl_accounts, raw.gl_afes, raw.eia_observations TO energy_loader;

-- `pipeline check` runs as the transformer: it reads dbt's results, raw and the marts, and records
-- each outcome in ops.dq_results (insert only; results are history too).
GRANT INSERT ON ops.dq_results TO energy_transformer;

-- A grant can be given back by mistake, and the owner can type UPDATE by mistake: the trigger
-- refuses any change to a posted line whoever asks. Corrections arrive as reversing journals.
-- The one sanctioned DELETE is raw.ensure_gl_partitions moving rows out of the DEFAULT partition
-- into a new month's partition, which it announces with a transaction-local setting; that setting
-- counts only for the table's owner (the function runs as its owner), since anyone may set it.
CREATE FUNCTION raw.refuse_gl_line_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'DELETE'
     AND current_setting('energy.gl_partition_move', true) = 'on'
     AND current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'raw.gl_lines'::regclass) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'raw.gl_lines is append-only: % of posted line % refused', TG_OP, OLD.line_id
    USING ERRCODE = 'integrity_constraint_violation',
          HINT = 'A posted GL line never changes; the GL service corrects it with a reversing journal.';
END
$$;
COMMENT ON FUNCTION raw.refuse_gl_line_change() IS 'Refuses UPDATE and DELETE on posted GL lines (raw.gl_lines is append-only)';

-- On the partitioned table: cloned onto every partition, present and future.
CREATE TRIGGER gl_lines_append_only
BEFORE UPDATE OR DELETE ON raw.gl_lines
FOR EACH ROW EXECUTE FUNCTION raw.refuse_gl_line_change();

-- As in 003, plus the announcement around the move out of the DEFAULT partition.
CREATE OR REPLACE FUNCTION raw.ensure_gl_partitions(from_date date, to_date date)
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
        PERFORM set_config('energy.gl_partition_move', 'on', true);
        EXECUTE format(
          'WITH moved AS (DELETE FROM raw.gl_lines_default WHERE posting_date >= %L AND posting_date < %L RETURNING *)
           INSERT INTO raw.%I SELECT * FROM moved', month_start, month_end, part_name);
        PERFORM set_config('energy.gl_partition_move', 'off', true);
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

-- Down Migration
REVOKE INSERT ON ops.dq_results FROM energy_transformer;
CREATE OR REPLACE FUNCTION raw.ensure_gl_partitions(from_date date, to_date date)
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
DROP TRIGGER IF EXISTS gl_lines_append_only ON raw.gl_lines;
DROP FUNCTION IF EXISTS raw.refuse_gl_line_change();
GRANT UPDATE ON ALL TABLES IN SCHEMA raw TO energy_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA raw GRANT UPDATE ON TABLES TO energy_loader;
