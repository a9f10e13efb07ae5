-- Per category of use, the people who used a service of it other than the approved
-- alternative the organisation offers for it: the licences or accounts to plan.
-- month_ai: ai_daily of the files of the month's unit.
-- params: $start, $end; tables `services` (id, category) from the catalog and
-- `alternatives` (category, service_id) from [catalog] alternatives.
-- out: category, people (distinct pseudonyms), episodes
SELECT s.category, count(DISTINCT a.pseudonym) AS people, sum(a.episodes) AS episodes
FROM month_ai a
JOIN services s ON s.id = a.service_id
LEFT JOIN alternatives alt ON alt.category = s.category
WHERE a.day >= $start AND a.day < $end
  AND (alt.service_id IS NULL OR a.service_id <> alt.service_id)
GROUP BY s.category
