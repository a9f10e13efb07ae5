-- Gen-AI usage per service and department group for one month.
-- month_ai / month_traffic: ai_daily / traffic_daily of the files of the month's unit.
-- params: $start, $end (local days, end excluded); table `groups` (department, grp) maps
-- each department to the group it is shown in (k-anonymity folding).
-- out: grp, service_id, requests, episodes, people, blocked, bytes_up, bytes_down
SELECT g.grp, a.service_id,
       sum(a.requests) AS requests,
       sum(a.episodes) AS episodes,
       count(DISTINCT a.pseudonym) AS people,
       sum(a.blocked) AS blocked,
       sum(a.bytes_up) AS bytes_up,
       sum(a.bytes_down) AS bytes_down
FROM month_ai a JOIN groups g USING (department)
WHERE a.day >= $start AND a.day < $end
GROUP BY GROUPING SETS ((g.grp, a.service_id), (a.service_id))
