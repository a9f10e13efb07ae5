-- Input files with events in the month (a file spanning two months is listed in both).
-- params: $start, $end.
-- out: file_id, path, format, unit, compression, lines, parsed, rejected, not_usage,
--      not_event, first_day, last_day, catalog_version, days_in_month
SELECT f.file_id, f.path, f.format, f.unit, f.compression, f.lines, f.parsed, f.rejected,
       f.not_usage, f.not_event, f.first_day, f.last_day, f.catalog_version,
       (SELECT count(*) FROM file_days d
        WHERE d.file_id = f.file_id AND d.day >= $start AND d.day < $end) AS days_in_month
FROM files f
WHERE EXISTS (SELECT 1 FROM file_days d
              WHERE d.file_id = f.file_id AND d.day >= $start AND d.day < $end)
ORDER BY f.path
