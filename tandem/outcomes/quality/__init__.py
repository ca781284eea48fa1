"""Data quality of what outcome measurement reads: the checks (``checks``), the page
/outcomes/quality/ (``views``, ``urls``) and the ``check_data_quality`` command."""
