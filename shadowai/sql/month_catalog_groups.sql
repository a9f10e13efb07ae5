-- Distinct people and requests per catalog category and per vendor jurisdiction.
-- month_ai / month_traffic: ai_daily / traffic_daily of the files of the month's unit.
-- params: $start, $end; table `services` (id, category, jurisdiction) from the catalog.
-- out: dimension ('category' | 'jurisdiction'), value, requests, episodes, people
SELECT 'category' AS dimension, s.category AS value, sum(a.requests) AS requests,
       sum(a.episodes) AS episodes,
       count(DISTINCT a.pseudonym) AS people
FROM month_ai a JOIN services s ON s.id = a.service_id
WHERE a.day >= $start AND a.day < $end
GROUP BY s.category
UNION ALL
SELECT 'jurisdiction', s.jurisdiction, sum(a.requests), sum(a.episodes),
       count(DISTINCT a.pseudonym)
FROM month_ai a JOIN services s ON s.id = a.service_id
WHERE a.day >= $start AND a.day < $end
GROUP BY s.jurisdiction
