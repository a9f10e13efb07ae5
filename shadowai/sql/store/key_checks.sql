SELECT month, key_check FROM month_keys
