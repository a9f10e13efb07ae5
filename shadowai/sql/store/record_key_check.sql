INSERT INTO month_keys VALUES ($month, $key_check, $now)
