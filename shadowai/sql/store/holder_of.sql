-- The stored file holding exactly this content, or a longer version of it; legacy rows
-- (hashed before schema 5) match by their raw hash.
SELECT file_id, path FROM files
WHERE fingerprint = $fingerprint OR (legacy_raw_hash AND fingerprint = $raw_fingerprint)
UNION ALL
SELECT s.file_id, coalesce(f.path, 'a file of a purged month')
FROM superseded s LEFT JOIN files f USING (file_id)
WHERE s.fingerprint = $fingerprint
LIMIT 1
