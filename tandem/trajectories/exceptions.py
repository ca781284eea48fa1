from django.core.exceptions import ValidationError


class TransitionNotAllowed(ValidationError):
    """The state machine does not allow this status change."""


class JobCoachingRefused(ValidationError):
    """Job coaching rules (job < 1 year, employer consent, at most six months) refuse it."""
