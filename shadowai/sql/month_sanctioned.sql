-- Use of the organisation's sanctioned (approved) tools versus other public services.
-- month_ai: ai_daily of the files of the month's unit.
-- params: $start, $end; table `services` (id, sanctioned) from the catalog with overlay.
-- out: sanctioned, people, episodes, requests
SELECT s.sanctioned, count(DISTINCT a.pseudonym) AS people, sum(a.episodes) AS episodes,
       sum(a.requests) AS requests
FROM month_ai a JOIN services s ON s.id = a.service_id
WHERE a.day >= $start AND a.day < $end
GROUP BY s.sanctioned ORDER BY s.sanctioned DESC
