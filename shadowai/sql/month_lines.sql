-- Rejected and not-usage lines by reason, over the files of the month.
-- params: $start, $end. out: kind, reason, lines, files
SELECT l.kind, l.reason, sum(l.lines) AS lines, count(DISTINCT l.file_id) AS files
FROM file_lines l
WHERE l.file_id IN (SELECT file_id FROM file_days WHERE day >= $start AND day < $end)
GROUP BY l.kind, l.reason ORDER BY l.kind, lines DESC
