-- Months with files in the registry, closed ones included (purged months have none).
SELECT DISTINCT strftime(day, '%Y-%m') AS m FROM file_days ORDER BY 1
