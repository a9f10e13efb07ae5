-- Rejected, not-usage, not-event and attribution lines of the month, by reason.
-- params: $start, $end. out: kind, reason, lines, files
SELECT l.kind, l.reason, sum(l.lines) AS lines, count(DISTINCT l.file_id) AS files
FROM file_lines l
WHERE l.month >= strftime($start, '%Y-%m') AND month < strftime($end, '%Y-%m')
GROUP BY l.kind, l.reason ORDER BY l.kind, lines DESC
