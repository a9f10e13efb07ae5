-- Every department seen in a month, with its distinct AI users (drives k-anonymity folding).
-- params: $start, $end. out: department, ai_people
SELECT t.department, count(DISTINCT a.pseudonym) AS ai_people
FROM (SELECT DISTINCT department FROM traffic_daily WHERE day >= $start AND day < $end) t
LEFT JOIN ai_daily a ON a.department = t.department AND a.day >= $start AND a.day < $end
GROUP BY t.department
