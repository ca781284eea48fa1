"""The services directory: organisations, their services and locations (HSDS 3.0 shaped), with
the HSDS import and export (``hsds``). No personal data."""
