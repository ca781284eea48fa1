"""Data at Flanders' scale for measuring (issue 20): ``manage.py generate_scale``."""
