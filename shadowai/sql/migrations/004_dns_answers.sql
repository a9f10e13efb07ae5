-- Schema version 4: DNS answers for catalogued hosts, to attribute firewall sessions that
-- carry only a destination IP. The client is a keyed pseudonym of its address (never the
-- address); `ip` is the server address the DNS answered (a service's, not a person's).
CREATE TABLE dns_answers (
    month       VARCHAR NOT NULL,
    client      VARCHAR NOT NULL,
    ip          VARCHAR NOT NULL,
    host        VARCHAR NOT NULL,
    service_id  VARCHAR NOT NULL,
    ts          TIMESTAMP NOT NULL,   -- UTC
    file_id     INTEGER NOT NULL
);
