-- Local days of the month on which at least one input file has events.
-- params: $start, $end. out: day, events
SELECT day, sum(events) AS events FROM file_days
WHERE day >= $start AND day < $end GROUP BY day ORDER BY day
