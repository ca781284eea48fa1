"""The labour-market status family: a bulk upload of status events through ``import_status``."""
