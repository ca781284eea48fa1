"""Importing outcome data from CSV: labour-market status events and legacy trajectories.

The functions are usable from code (the demo data generator calls them) and are wrapped by
the ``import_status`` and ``import_trajectories`` management commands. Each checks every row
first and raises ``ImportRejected`` — writing nothing at all — when any row is bad; importing
the same file twice changes nothing the second time.

What both share (reading the CSV, dates, row errors) is in ``csv``; each import in its own
module: ``status`` and ``trajectories``.
"""

from __future__ import annotations

from .csv import ImportRejected, ImportReport, RowError
from .status import import_status
from .trajectories import import_trajectories

__all__ = ["ImportRejected", "ImportReport", "RowError", "import_status", "import_trajectories"]
