-- Schema version 8: the time zone in which each file's days and months were cut
-- ([report] timezone at ingest). A report in another zone would label days cut in the old
-- one with the new one's name: the report refuses then, and says to re-ingest. Files
-- stored before this version have NULL (not known: not checked).
ALTER TABLE files ADD COLUMN day_timezone VARCHAR;
