-- Months whose detailed (per-person) rows are here: not closed, not purged.
SELECT DISTINCT strftime(day, '%Y-%m') AS m FROM file_days
WHERE m NOT IN (SELECT month FROM closed_months) ORDER BY 1
