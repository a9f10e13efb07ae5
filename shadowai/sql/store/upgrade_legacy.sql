-- A file hashed before schema 5, met again: record its content hash.
UPDATE files SET fingerprint = $fingerprint, content_bytes = $content_bytes,
                 first_line_hash = $first_line_hash, legacy_raw_hash = false
WHERE file_id = $file_id
