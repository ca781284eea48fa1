from django.core.exceptions import ValidationError

from tandem.common.states import TransitionNotAllowed

__all__ = ["JobCoachingRefused", "TransitionNotAllowed"]


class JobCoachingRefused(ValidationError):
    """Job coaching rules (job < 1 year, employer consent, at most six months) refuse it."""
