-- Months present in the store, with their files, lines and AI requests. Each line counts
-- in its own month (a file spanning two months is split), so the months add up to the
-- total; lines of files without a single dated line have month NULL.
-- out: month, files, lines, rejected, ai_requests
WITH events AS (
    SELECT strftime(day, '%Y-%m') AS month, file_id, sum(events) AS lines, 0 AS rejected
    FROM file_days GROUP BY ALL
), other AS (
    SELECT month, file_id, sum(lines) AS lines,
           sum(lines) FILTER (WHERE kind = 'rejected') AS rejected
    FROM file_lines WHERE kind IN ('rejected', 'not_event') AND month IS NOT NULL
    GROUP BY ALL
), undated AS (   -- files with no dated line at all: nothing to split by month
    SELECT NULL AS month, file_id, lines, rejected FROM files
    WHERE file_id NOT IN (SELECT file_id FROM file_days)
      AND file_id NOT IN (SELECT file_id FROM file_lines WHERE month IS NOT NULL)
), lines AS (
    SELECT * FROM events UNION ALL SELECT * FROM other UNION ALL SELECT * FROM undated
)
SELECT l.month, count(DISTINCT l.file_id) AS files, sum(l.lines)::BIGINT AS lines,
       coalesce(sum(l.rejected), 0)::BIGINT AS rejected,
       (SELECT coalesce(sum(requests), 0) FROM ai_daily a
        WHERE strftime(a.day, '%Y-%m') = l.month)::BIGINT AS ai_requests
FROM lines l
GROUP BY l.month ORDER BY l.month NULLS LAST
