-- Up Migration
-- EIA landing tables. Observations are keyed by (series_id, frequency, period) as EIA keys them;
-- EIA revises published values, so an upsert that changes a value first copies the old one into
-- raw.eia_observation_revisions (never a silent overwrite). Every response body is archived so a
-- load can be replayed without EIA.

CREATE TABLE raw.eia_responses (
  response_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  batch_id      bigint      NOT NULL,
  route         text        NOT NULL,
  params        jsonb       NOT NULL,
  http_status   integer     NOT NULL,
  body          jsonb       NOT NULL,
  body_hash     text        NOT NULL,
  row_count     integer     NOT NULL,
  fetched_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE raw.eia_responses IS 'Every EIA API response body as received (request parameters without the key), for replay and audit';
CREATE INDEX eia_responses_batch_idx ON raw.eia_responses (batch_id);
CREATE INDEX eia_responses_fetched_brin ON raw.eia_responses USING brin (fetched_at);

CREATE TABLE raw.eia_observations (
  series_id       text        NOT NULL,
  frequency       text        NOT NULL CHECK (frequency IN ('daily', 'weekly', 'monthly', 'annual')),
  period          text        NOT NULL,
  period_start    date        NOT NULL,
  value           numeric,
  units           text,
  route           text        NOT NULL,
  facets          jsonb       NOT NULL DEFAULT '{}'::jsonb,
  revision        integer     NOT NULL DEFAULT 0,
  first_batch_id  bigint      NOT NULL,
  batch_id        bigint      NOT NULL,
  ingested_at     timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (series_id, frequency, period)
);
COMMENT ON TABLE raw.eia_observations IS 'Current value of every EIA observation; value is NULL where EIA publishes none';
COMMENT ON COLUMN raw.eia_observations.period IS 'EIA period as published: YYYY-MM-DD (daily, weekly), YYYY-MM (monthly), YYYY (annual)';
COMMENT ON COLUMN raw.eia_observations.period_start IS 'First day the period covers, for range queries';
COMMENT ON COLUMN raw.eia_observations.revision IS 'How many times EIA revised the value after first load';
COMMENT ON COLUMN raw.eia_observations.batch_id IS 'Batch that last inserted or revised the row';
CREATE INDEX eia_observations_period_brin ON raw.eia_observations USING brin (period_start);
CREATE INDEX eia_observations_batch_idx ON raw.eia_observations (batch_id);

CREATE TABLE raw.eia_observation_revisions (
  series_id       text        NOT NULL,
  frequency       text        NOT NULL,
  period          text        NOT NULL,
  revision        integer     NOT NULL,
  value           numeric,
  units           text,
  batch_id        bigint      NOT NULL,
  valid_from      timestamptz NOT NULL,
  replaced_at     timestamptz NOT NULL DEFAULT now(),
  replaced_by_batch_id bigint NOT NULL,
  PRIMARY KEY (series_id, frequency, period, revision)
);
COMMENT ON TABLE raw.eia_observation_revisions IS 'Superseded EIA values: what a series said before each revision, and since when';

-- Down Migration
DROP TABLE IF EXISTS raw.eia_observation_revisions, raw.eia_observations, raw.eia_responses;
