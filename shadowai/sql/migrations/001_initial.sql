-- Schema version 1: the file registry, AI activity at (day, department, pseudonym, host)
-- grain, per-person daily denominators without hosts, and unknown AI-looking hosts.
-- Timestamps are UTC (naive TIMESTAMP); days are local days in the configured time zone.
CREATE TABLE meta (key VARCHAR, value VARCHAR);

CREATE TABLE files (
    file_id          INTEGER NOT NULL,
    fingerprint      VARCHAR NOT NULL,   -- sha256 of the file's raw bytes
    path             VARCHAR NOT NULL,
    format           VARCHAR NOT NULL,
    unit             VARCHAR NOT NULL,   -- counting unit, e.g. 'proxy request'
    compression      VARCHAR NOT NULL,
    size             BIGINT NOT NULL,
    mtime            DOUBLE NOT NULL,
    lines            BIGINT NOT NULL,
    parsed           BIGINT NOT NULL,
    rejected         BIGINT NOT NULL,
    not_usage        BIGINT NOT NULL,
    first_ts         TIMESTAMP,
    last_ts          TIMESTAMP,
    first_day        DATE,
    last_day         DATE,
    timezone         VARCHAR NOT NULL,
    catalog_version  VARCHAR NOT NULL,
    ingested_at      TIMESTAMP NOT NULL
);

-- Lines of a file that are not events (kind 'rejected') or not usage (kind 'not_usage'),
-- by reason, with the first line number for each reason. Never the line text.
CREATE TABLE file_lines (
    file_id     INTEGER NOT NULL,
    kind        VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    lines       BIGINT NOT NULL,
    first_line  BIGINT
);

-- Days on which a file has events, with their count (coverage, missing days).
CREATE TABLE file_days (
    file_id  INTEGER NOT NULL,
    day      DATE NOT NULL,
    events   BIGINT NOT NULL
);

CREATE TABLE ai_daily (
    day         DATE NOT NULL,
    department  VARCHAR NOT NULL,
    pseudonym   VARCHAR NOT NULL,
    service_id  VARCHAR NOT NULL,
    host        VARCHAR NOT NULL,
    requests    BIGINT NOT NULL,
    blocked     BIGINT NOT NULL,
    bytes_up    BIGINT,
    bytes_down  BIGINT,
    file_id     INTEGER NOT NULL
);

-- Denominators: who was active on a day, with no host. A pseudonym rather than a count
-- because distinct people cannot be added up across days or files.
CREATE TABLE traffic_daily (
    day         DATE NOT NULL,
    department  VARCHAR NOT NULL,
    pseudonym   VARCHAR NOT NULL,
    requests    BIGINT NOT NULL,
    file_id     INTEGER NOT NULL
);

-- AI-looking hosts not in the catalog, for catalog upkeep: counts only, nobody attached.
CREATE TABLE candidates (
    month     VARCHAR NOT NULL,
    host      VARCHAR NOT NULL,
    requests  BIGINT NOT NULL,
    file_id   INTEGER NOT NULL
);
