-- Rejected and not-event lines of the month by reason, per file.
-- params: $start, $end. out: file_id, kind, reason, lines, first_line
SELECT l.file_id, l.kind, l.reason, sum(l.lines) AS lines, min(l.first_line) AS first_line
FROM file_lines l
WHERE l.kind IN ('rejected', 'not_event') AND l.month >= strftime($start, '%Y-%m') AND month < strftime($end, '%Y-%m')
GROUP BY ALL
ORDER BY l.file_id, l.kind, lines DESC
