class ChecklistNotPublished(Exception):
    """No published signal checklist: an administrator must publish one first."""


class ChecklistFrozen(Exception):
    """A published checklist version never changes; make a new version instead."""
