-- Months present in the store, with their files, lines and AI requests.
-- out: month, files, lines, rejected, ai_requests
WITH d AS (
    SELECT strftime(day, '%Y-%m') AS month, file_id FROM file_days GROUP BY ALL
)
SELECT d.month, count(DISTINCT d.file_id) AS files,
       sum(f.lines) AS lines, sum(f.rejected) AS rejected,
       (SELECT coalesce(sum(requests), 0) FROM ai_daily a
        WHERE strftime(a.day, '%Y-%m') = d.month) AS ai_requests
FROM d JOIN files f USING (file_id)
GROUP BY d.month ORDER BY d.month
