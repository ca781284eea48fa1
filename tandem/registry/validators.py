from django.core.exceptions import ValidationError

from . import insz


def validate_insz(value: str) -> None:
    if not value:
        return
    try:
        insz.parse(value)
    except insz.InszError as exc:
        raise ValidationError(str(exc), code="invalid_insz") from exc
