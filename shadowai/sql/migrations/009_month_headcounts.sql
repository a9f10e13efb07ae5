-- Schema version 9: the headcount each month was reported with, per department. Adoption
-- rates divide by it: closing a month (or reporting a closed one) after the headcount
-- file changed must give the rates the month was published with, not today's. A report
-- of an open month reads today's file and replaces these rows; a close uses them. Months
-- reported before this version have none: their close reads the file of that day.
CREATE TABLE month_headcounts (
    month       VARCHAR NOT NULL,
    department  VARCHAR NOT NULL,
    headcount   BIGINT NOT NULL,
    saved_at    TIMESTAMP NOT NULL
);
