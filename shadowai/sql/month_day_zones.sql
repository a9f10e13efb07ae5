-- Time zones other than $timezone in which files with days in the month had their days
-- cut (files.day_timezone); NULL (stored before schema 8) is not known and not listed.
-- params: $start, $end, $timezone. out: day_timezone, files
SELECT f.day_timezone, count(DISTINCT f.file_id)::BIGINT AS files
FROM files f JOIN file_days d USING (file_id)
WHERE d.day >= $start AND d.day < $end
  AND f.day_timezone IS NOT NULL AND f.day_timezone <> $timezone
GROUP BY f.day_timezone
ORDER BY f.day_timezone
