INSERT INTO file_signatures VALUES ($signature, $file_id)
