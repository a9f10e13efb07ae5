-- Schema version 5: a file is its content, not its path.
-- `fingerprint` is now the sha256 of the file's DECOMPRESSED bytes (the same lines plain,
-- gzipped or renamed are the same data); `content_bytes` is their length and
-- `first_line_hash` the sha256 of the first line (at most 4 KiB), which finds the stored
-- files a new file may extend (it grew, or was rotated then appended to).
-- Rows written before this version hashed the raw bytes: for uncompressed files that is
-- the same hash, so their length is known; compressed legacy rows are matched by their
-- raw hash when met again, then upgraded.
ALTER TABLE files ADD COLUMN content_bytes BIGINT;
ALTER TABLE files ADD COLUMN first_line_hash VARCHAR;
ALTER TABLE files ADD COLUMN legacy_raw_hash BOOLEAN DEFAULT false;
UPDATE files SET content_bytes = size WHERE compression = 'none';
UPDATE files SET legacy_raw_hash = true WHERE compression <> 'none';

-- Cheap signatures (size, times, sampled bytes) of files already read, so that unchanged
-- files are not decompressed again on every run; each points at the file whose rows hold
-- that content (after a replacement, the replacing file).
CREATE TABLE file_signatures (
    signature  VARCHAR NOT NULL,
    file_id    INTEGER NOT NULL
);

-- Content replaced by a longer version of itself: seeing it again adds nothing.
CREATE TABLE superseded (
    fingerprint    VARCHAR NOT NULL,
    content_bytes  BIGINT,
    file_id        INTEGER NOT NULL   -- the file whose rows now hold this content
);

-- Rejected, not-event and not-usage lines are counted per month (the month of the nearest
-- dated line before them in the file), so a month's quality figures count its own lines.
ALTER TABLE file_lines ADD COLUMN month VARCHAR;

-- A check value of the key that pseudonymised each month (never the key): a run with
-- another key for a month that has data is refused.
CREATE TABLE month_keys (
    month       VARCHAR NOT NULL,
    key_check   VARCHAR NOT NULL,
    created_at  TIMESTAMP NOT NULL
);

-- Files the last ingest skipped (not a log, empty, excluded), with the reason.
CREATE TABLE skipped_files (
    path     VARCHAR NOT NULL,
    reason   VARCHAR NOT NULL,
    seen_at  TIMESTAMP NOT NULL
);

-- Lines counted before this version belong to their file's first month.
UPDATE file_lines SET month = (SELECT strftime(min(d.day), '%Y-%m') FROM file_days d
                               WHERE d.file_id = file_lines.file_id);
