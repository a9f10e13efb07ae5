SELECT key_check FROM month_keys WHERE month = $month
