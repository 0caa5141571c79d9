-- Up Migration
-- Schemas and least-privilege group roles. Roles are NOLOGIN: the one login in DATABASE_URL
-- assumes them with SET ROLE (the loader pool, dbt's `role:`, the report writer), so a bug in one
-- stage cannot touch another stage's data.

CREATE SCHEMA IF NOT EXISTS raw;
COMMENT ON SCHEMA raw IS 'Landing tables exactly as ingested, with batch id, ingestion time and payload hash';
CREATE SCHEMA IF NOT EXISTS ops;
COMMENT ON SCHEMA ops IS 'Pipeline state: batches, watermarks, stream cursors, quarantine, data-quality results, runs';

-- Roles are cluster-wide while migrations run per database, possibly several at once (tests):
-- a concurrent CREATE ROLE of the same name is therefore an expected, harmless race.
DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['energy_loader', 'energy_transformer', 'energy_reporting'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;
      END;
    END IF;
    IF NOT pg_has_role(current_user, role_name, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', role_name, current_user);
    END IF;
  END LOOP;
END
$$;

-- dbt's schemas exist up front, owned by the transformer, so default privileges can be attached
-- to them before dbt creates its first table.
CREATE SCHEMA IF NOT EXISTS staging AUTHORIZATION energy_transformer;
CREATE SCHEMA IF NOT EXISTS intermediate AUTHORIZATION energy_transformer;
CREATE SCHEMA IF NOT EXISTS marts AUTHORIZATION energy_transformer;
COMMENT ON SCHEMA staging IS 'dbt: views that rename and cast raw columns';
COMMENT ON SCHEMA intermediate IS 'dbt: business-area building blocks';
COMMENT ON SCHEMA marts IS 'dbt: facts and dimensions read by reports';

REVOKE ALL ON SCHEMA public FROM PUBLIC;
DO $$
BEGIN
  EXECUTE format('REVOKE CREATE ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO energy_loader, energy_transformer, energy_reporting', current_database());
  EXECUTE format('GRANT CREATE ON DATABASE %I TO energy_transformer', current_database());
END
$$;

-- loader: reads and writes raw and ops, owns nothing (cannot drop or alter).
GRANT USAGE ON SCHEMA raw, ops TO energy_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA raw GRANT SELECT, INSERT, UPDATE ON TABLES TO energy_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA ops GRANT SELECT, INSERT, UPDATE ON TABLES TO energy_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA raw GRANT USAGE, SELECT ON SEQUENCES TO energy_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA ops GRANT USAGE, SELECT ON SEQUENCES TO energy_loader;

-- transformer: reads raw and ops, owns the dbt schemas.
GRANT USAGE ON SCHEMA raw, ops TO energy_transformer;
ALTER DEFAULT PRIVILEGES IN SCHEMA raw GRANT SELECT ON TABLES TO energy_transformer;
ALTER DEFAULT PRIVILEGES IN SCHEMA ops GRANT SELECT ON TABLES TO energy_transformer;

-- reporting: reads the marts (whatever dbt creates there later) and the ops views made for it.
GRANT USAGE ON SCHEMA marts TO energy_reporting;
ALTER DEFAULT PRIVILEGES FOR ROLE energy_transformer IN SCHEMA marts GRANT SELECT ON TABLES TO energy_reporting;
GRANT USAGE ON SCHEMA ops TO energy_reporting;

-- Down Migration
DROP SCHEMA IF EXISTS marts CASCADE;
DROP SCHEMA IF EXISTS intermediate CASCADE;
DROP SCHEMA IF EXISTS staging CASCADE;
DROP SCHEMA IF EXISTS ops CASCADE;
DROP SCHEMA IF EXISTS raw CASCADE;
