"""Tandem's date and number formats (``FORMAT_MODULE_PATH``): one place, so every page shows a
date as 07/12/2026 and an amount as 1.801,90 in Dutch. A format not set here is Django's own
for the language."""
