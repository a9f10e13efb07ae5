-- Stored files a file whose first line hashes to $first_line_hash may extend (legacy
-- plain files: any first line).
SELECT file_id, content_bytes, fingerprint FROM files
WHERE content_bytes IS NOT NULL AND NOT legacy_raw_hash
  AND (first_line_hash = $first_line_hash OR first_line_hash IS NULL)
