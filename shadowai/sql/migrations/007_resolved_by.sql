-- Schema version 7: how each identity was placed in a department, and whether it is a
-- person or only a machine's address.
-- `resolved_by`: 'users' (the user map), 'networks' (the network map) or 'unassigned';
-- `address_only`: the line carried no user name, only a client address (a server, a
-- shared machine, a firewall without user identification). Both are facts about the
-- identity the pseudonym stands for, never the identity itself. Rows ingested before
-- this version have NULL in both ("unknown" in reports) until re-ingested (--force).
ALTER TABLE traffic_daily ADD COLUMN resolved_by VARCHAR;
ALTER TABLE traffic_daily ADD COLUMN address_only BOOLEAN;
ALTER TABLE ai_daily ADD COLUMN address_only BOOLEAN;
