"""The aggregates family: published figures under the pages' disclosure control."""
