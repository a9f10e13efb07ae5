-- DNS answers of one month, for attributing IP-only sessions.
-- params: $month ('YYYY-MM'). out: client, ip, host, ts (UTC)
SELECT client, ip, host, ts FROM dns_answers WHERE month = $month ORDER BY ts
