-- Detailed rows of the days before $start (the month $month); files with no day left
-- leave the registry. Their signatures and content hashes stay: the same file met again
-- is still "already ingested", not new data for a purged month.
DELETE FROM ai_daily WHERE day < $start;
DELETE FROM traffic_daily WHERE day < $start;
DELETE FROM file_days WHERE day < $start;
DELETE FROM candidates WHERE month < $month;
DELETE FROM dns_answers WHERE month < $month;
DELETE FROM file_lines WHERE month < $month;
INSERT INTO superseded SELECT fingerprint, content_bytes, 0 FROM files
WHERE file_id NOT IN (SELECT file_id FROM file_days);
UPDATE superseded SET file_id = 0 WHERE file_id NOT IN (SELECT file_id FROM file_days);
UPDATE file_signatures SET file_id = 0 WHERE file_id NOT IN (SELECT file_id FROM file_days);
DELETE FROM file_lines WHERE file_id NOT IN (SELECT file_id FROM file_days);
DELETE FROM files WHERE file_id NOT IN (SELECT file_id FROM file_days)
