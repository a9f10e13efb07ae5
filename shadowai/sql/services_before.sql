-- Services with activity before a date (to tell which services are new this month).
-- params: $start. out: service_id
SELECT DISTINCT service_id FROM ai_daily WHERE day < $start
