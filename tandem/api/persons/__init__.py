"""The persons family: one person by id (limited fields) and the lookup by national number."""
