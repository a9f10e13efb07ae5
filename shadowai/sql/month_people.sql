-- Distinct people and requests per department group, for AI use and for all traffic.
-- month_ai / month_traffic: ai_daily / traffic_daily of the files of the month's unit.
-- params: $start, $end; table `groups` (department, grp).
-- out: grp (NULL = whole organisation), ai_people, ai_requests, ai_episodes, blocked,
--      active_people
WITH ai AS (
    SELECT g.grp, count(DISTINCT a.pseudonym) AS ai_people, sum(a.requests) AS ai_requests,
           sum(a.episodes) AS ai_episodes,
           sum(a.blocked) AS blocked
    FROM month_ai a JOIN groups g USING (department)
    WHERE a.day >= $start AND a.day < $end
    GROUP BY GROUPING SETS ((g.grp), ())
), active AS (
    -- every group, even one whose departments are seen only as addresses (no person)
    SELECT g.grp, count(DISTINCT t.pseudonym) AS active_people
    FROM groups g LEFT JOIN month_traffic t
      ON t.department = g.department AND t.day >= $start AND t.day < $end
    GROUP BY GROUPING SETS ((g.grp), ())
)
SELECT active.grp, coalesce(ai.ai_people, 0) AS ai_people,
       coalesce(ai.ai_requests, 0) AS ai_requests, coalesce(ai.ai_episodes, 0) AS ai_episodes,
       coalesce(ai.blocked, 0) AS blocked,
       active.active_people
FROM active LEFT JOIN ai ON ai.grp IS NOT DISTINCT FROM active.grp
