-- Identities active on the network in the month, by whether a directory map placed them
-- in a department: unassigned ones are mostly unauthenticated client addresses (servers,
-- shared machines) that are not people of a known department, so they are counted apart.
-- month_traffic: traffic_daily of the files of the month's unit.
-- params: $start, $end.
-- out: assigned, unassigned (distinct pseudonyms active in the month)
SELECT count(DISTINCT pseudonym) FILTER (WHERE department <> 'unassigned') AS assigned,
       count(DISTINCT pseudonym) FILTER (WHERE department = 'unassigned') AS unassigned
FROM month_traffic
WHERE day >= $start AND day < $end
