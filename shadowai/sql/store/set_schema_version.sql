DELETE FROM meta WHERE key = 'schema_version';
INSERT INTO meta VALUES ('schema_version', $version)
