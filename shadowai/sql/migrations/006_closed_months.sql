-- Schema version 6: closed months. Closing a month keeps its k-anonymous summary, deletes
-- every per-pseudonym row of the month (ai_daily, traffic_daily, dns_answers) and
-- destroys its key in the key ring (outside the store): nothing left can be linked to a
-- person, even by someone holding every file of the installation. File registry rows,
-- per-day line counts and candidate hosts (no person attached) stay.
CREATE TABLE closed_months (
    month         VARCHAR NOT NULL,
    closed_at     TIMESTAMP NOT NULL,
    rows_removed  BIGINT NOT NULL
);
