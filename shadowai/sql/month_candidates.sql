-- AI-looking hosts not in the catalog, for catalog upkeep (no person attached).
-- params: $month ('YYYY-MM'). out: host, requests
-- BIGINT: a plain sum is a HUGEINT, which reaches Python as a Decimal (not JSON).
SELECT host, sum(requests)::BIGINT AS requests FROM candidates WHERE month = $month
GROUP BY host ORDER BY requests DESC, host LIMIT 200
