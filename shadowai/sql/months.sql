-- Months present in the store, with their files, lines and AI requests. Each line counts
-- in its own month (a file spanning two months is split), so the months add up to the
-- total; lines of files without a single dated line have month NULL. Lines of a month that
-- was closed when they arrived count in it too (closed_lines: never ingested).
-- out: month, files, lines, rejected, ai_requests, closed_lines
WITH events AS (
    SELECT strftime(day, '%Y-%m') AS month, file_id, sum(events) AS lines, 0 AS rejected,
           0 AS closed
    FROM file_days GROUP BY ALL
), other AS (
    SELECT month, file_id, sum(lines) AS lines,
           sum(lines) FILTER (WHERE kind = 'rejected') AS rejected,
           sum(lines) FILTER (WHERE kind = 'month_closed') AS closed
    FROM file_lines WHERE kind IN ('rejected', 'not_event', 'month_closed')
      AND month IS NOT NULL
    GROUP BY ALL
), undated AS (   -- files with no dated line at all: nothing to split by month
    SELECT NULL AS month, file_id, lines, rejected, 0 AS closed FROM files
    WHERE file_id NOT IN (SELECT file_id FROM file_days)
      AND file_id NOT IN (SELECT file_id FROM file_lines WHERE month IS NOT NULL)
), lines AS (
    SELECT * FROM events UNION ALL SELECT * FROM other UNION ALL SELECT * FROM undated
)
SELECT l.month, count(DISTINCT l.file_id) AS files, sum(l.lines)::BIGINT AS lines,
       coalesce(sum(l.rejected), 0)::BIGINT AS rejected,
       (SELECT coalesce(sum(requests), 0) FROM ai_daily a
        WHERE strftime(a.day, '%Y-%m') = l.month)::BIGINT AS ai_requests,
       coalesce(sum(l.closed), 0)::BIGINT AS closed_lines
FROM lines l
GROUP BY l.month ORDER BY l.month NULLS LAST
