-- Every department seen in a month, with its distinct AI users (drives k-anonymity folding).
-- month_ai / month_traffic: ai_daily / traffic_daily of the files of the month's unit,
-- people only when addresses are counted apart; unit_traffic: with the addresses. A
-- department whose staff are seen only as addresses (an unauthenticated site placed by
-- the network map) is seen, with no person: folded, its headcount with the group's.
-- params: $start, $end. out: department, ai_people
SELECT t.department, count(DISTINCT a.pseudonym) AS ai_people
FROM (SELECT DISTINCT department FROM month_traffic WHERE day >= $start AND day < $end
      UNION
      SELECT DISTINCT department FROM unit_traffic
      WHERE day >= $start AND day < $end AND department <> 'unassigned') t
LEFT JOIN month_ai a ON a.department = t.department AND a.day >= $start AND a.day < $end
GROUP BY t.department
