-- Delete every row that carries a pseudonym of the month and record it as closed
-- ($removed: what month_rows counted just before, in the same transaction).
DELETE FROM ai_daily WHERE day >= $start AND day < $end;
DELETE FROM traffic_daily WHERE day >= $start AND day < $end;
DELETE FROM dns_answers WHERE month = $month;
DELETE FROM closed_months WHERE month = $month;
INSERT INTO closed_months VALUES ($month, $now, $removed);
-- A file with no day left in an open month loses its name: it may be named after a
-- person (jean.dupont.log); format + number stays, as reports show it.
UPDATE files SET path = format || ' #' || file_id
WHERE file_id NOT IN (SELECT file_id FROM file_days
                      WHERE strftime(day, '%Y-%m') NOT IN (SELECT month FROM closed_months))
