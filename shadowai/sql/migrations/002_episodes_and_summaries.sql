-- Schema version 2: usage episodes, and the monthly summaries the trend report reads.
-- An episode is a person's requests to one service with gaps under the configured
-- threshold (30 minutes by default); it is counted on the day and host of its first
-- request. Rows ingested before this version have 0 episodes until re-ingested (--force).
ALTER TABLE ai_daily ADD COLUMN episodes BIGINT DEFAULT 0;

-- The k-anonymous model of each reported month (summary.json), kept when `purge` removes
-- the detailed rows, so trends survive retention.
CREATE TABLE month_summaries (
    month       VARCHAR NOT NULL,
    summary     VARCHAR NOT NULL,   -- JSON, k-anonymity already applied
    written_at  TIMESTAMP NOT NULL
);
