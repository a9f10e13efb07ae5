-- AI requests and distinct AI users per local day of the month.
-- month_ai / month_traffic: ai_daily / traffic_daily of the files of the month's unit.
-- params: $start, $end. out: day, requests, episodes, people
SELECT day, sum(requests) AS requests, sum(episodes) AS episodes,
       count(DISTINCT pseudonym) AS people
FROM month_ai WHERE day >= $start AND day < $end
GROUP BY day ORDER BY day
