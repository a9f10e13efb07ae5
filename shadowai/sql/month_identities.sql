-- Identities of the month by kind and by the directory map that placed them: the month's
-- directory coverage, and the lines that decide whether addresses are counted apart.
-- unit_ai / unit_traffic: ai_daily / traffic_daily of the files of the month's unit.
-- An identity placed differently on different lines (a user outside the user map seen
-- from several networks) counts once, under its best placement: user map, then network
-- map, then unassigned. Rows ingested before schema 7 carry neither fact: 'unknown'.
-- params: $start, $end.
-- out: identity ('user' | 'address' | 'unknown'),
--      resolved_by ('users' | 'networks' | 'unassigned' | 'unknown'),
--      active (distinct identities), ai (of which used AI), requests (usage lines),
--      ai_requests, ai_episodes
WITH who AS (
    SELECT pseudonym, bool_or(address_only) AS address_only,
           min(CASE resolved_by WHEN 'users' THEN 1 WHEN 'networks' THEN 2
                                WHEN 'unassigned' THEN 3 END) AS placed,
           sum(requests) AS requests
    FROM unit_traffic
    WHERE day >= $start AND day < $end
    GROUP BY pseudonym
), ai AS (
    SELECT pseudonym, sum(requests) AS ai_requests, sum(episodes) AS ai_episodes
    FROM unit_ai
    WHERE day >= $start AND day < $end
    GROUP BY pseudonym
)
SELECT CASE who.address_only WHEN true THEN 'address' WHEN false THEN 'user'
            ELSE 'unknown' END AS identity,
       CASE who.placed WHEN 1 THEN 'users' WHEN 2 THEN 'networks' WHEN 3 THEN 'unassigned'
            ELSE 'unknown' END AS resolved_by,
       count(*) AS active, count(ai.pseudonym) AS ai, sum(who.requests) AS requests,
       coalesce(sum(ai.ai_requests), 0) AS ai_requests,
       coalesce(sum(ai.ai_episodes), 0) AS ai_episodes
FROM who LEFT JOIN ai USING (pseudonym)
GROUP BY ALL
ORDER BY ALL
