-- Schema version 3: lines that are valid records but carry no connection (headers,
-- statistics, alerts without a host) are counted apart from malformed lines.
ALTER TABLE files ADD COLUMN not_event BIGINT DEFAULT 0;
