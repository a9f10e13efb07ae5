-- AI-looking hosts not in the catalog, for catalog upkeep (no person attached).
-- params: $month ('YYYY-MM'). out: host, requests
SELECT host, sum(requests) AS requests FROM candidates WHERE month = $month
GROUP BY host ORDER BY requests DESC, host LIMIT 200
