"""Statistical disclosure control for figures shown to people who may not see persons."""

DISCLOSURE_THRESHOLD = 5


def suppress_small(count: int, threshold: int = DISCLOSURE_THRESHOLD) -> str:
    """Show a count, or '<5' when it is small enough to point at a person (1–4)."""
    if 0 < count < threshold:
        return f"<{threshold}"
    return str(count)
