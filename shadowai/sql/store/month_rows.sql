-- Rows carrying a pseudonym in the month [$start, $end) ($month as YYYY-MM).
SELECT (SELECT count(*) FROM ai_daily WHERE day >= $start AND day < $end)
     + (SELECT count(*) FROM traffic_daily WHERE day >= $start AND day < $end)
     + (SELECT count(*) FROM dns_answers WHERE month = $month)
