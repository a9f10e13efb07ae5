-- Every department seen in a month, with its distinct AI users (drives k-anonymity folding).
-- month_ai / month_traffic: ai_daily / traffic_daily of the files of the month's unit.
-- params: $start, $end. out: department, ai_people
SELECT t.department, count(DISTINCT a.pseudonym) AS ai_people
FROM (SELECT DISTINCT department FROM month_traffic WHERE day >= $start AND day < $end) t
LEFT JOIN month_ai a ON a.department = t.department AND a.day >= $start AND a.day < $end
GROUP BY t.department
