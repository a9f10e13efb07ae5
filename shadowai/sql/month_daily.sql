-- AI requests and distinct AI users per local day of the month.
-- params: $start, $end. out: day, requests, episodes, people
SELECT day, sum(requests) AS requests, sum(episodes) AS episodes,
       count(DISTINCT pseudonym) AS people
FROM ai_daily WHERE day >= $start AND day < $end
GROUP BY day ORDER BY day
