"""Dutch as written in Flanders: dates day/month/year with two-digit day and month (Django's
Dutch default, ``j-n-Y``, gives 7-12-2026, which is the Netherlands' habit); a decimal comma
and a full stop between thousands (Django's Dutch defaults, repeated here so they are stated)."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
