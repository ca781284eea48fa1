"""English for readers in Belgium: dates day/month/year like the Dutch pages (Django's English
default, ``m/d/Y``, would turn 07/12/2026 into 12/07/2026); numbers keep the English marks."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
