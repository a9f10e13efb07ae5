-- The stored file $old is contained in the new file $new: its content is remembered as
-- contained in $new, its rows go.
INSERT INTO superseded SELECT fingerprint, content_bytes, $new FROM files WHERE file_id = $old;
UPDATE superseded SET file_id = $new WHERE file_id = $old;
UPDATE file_signatures SET file_id = $new WHERE file_id = $old;
DELETE FROM ai_daily WHERE file_id = $old;
DELETE FROM traffic_daily WHERE file_id = $old;
DELETE FROM candidates WHERE file_id = $old;
DELETE FROM file_lines WHERE file_id = $old;
DELETE FROM file_days WHERE file_id = $old;
DELETE FROM dns_answers WHERE file_id = $old;
DELETE FROM files WHERE file_id = $old
