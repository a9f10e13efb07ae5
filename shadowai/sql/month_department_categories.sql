-- Distinct AI users per department group and catalog category (training needs).
-- month_ai / month_traffic: ai_daily / traffic_daily of the files of the month's unit.
-- params: $start, $end; tables `groups` (department, grp), `services` (id, category).
-- out: grp, category, people
SELECT g.grp, s.category, count(DISTINCT a.pseudonym) AS people
FROM month_ai a JOIN groups g USING (department) JOIN services s ON s.id = a.service_id
WHERE a.day >= $start AND a.day < $end
GROUP BY g.grp, s.category
