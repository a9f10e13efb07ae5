-- Rejected and not-event lines by reason, per file of the month.
-- params: $start, $end. out: file_id, kind, reason, lines, first_line
SELECT l.file_id, l.kind, l.reason, l.lines, l.first_line
FROM file_lines l
WHERE l.kind IN ('rejected', 'not_event')
  AND l.file_id IN (SELECT file_id FROM file_days WHERE day >= $start AND day < $end)
ORDER BY l.file_id, l.kind, l.lines DESC
