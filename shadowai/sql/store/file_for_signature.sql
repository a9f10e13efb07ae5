SELECT s.file_id, coalesce(f.path, 'a file of a purged month')
FROM file_signatures s LEFT JOIN files f USING (file_id)
WHERE s.signature = $signature LIMIT 1
