"""The access layer: who may see and do what, decided (and logged) in one place.

- ``scope``: the rules — which persons and trajectories a user sees (``person_queryset_for``,
  ``trajectory_queryset_for``), the duo rule, the consent-recipient rule, the life domains
  visible under consent, special categories and ``can_write``;
- ``log``: scope and log in one call — ``open_person`` and ``open_trajectory`` return the
  object (or 404: a missing and a forbidden object look the same) *and* write the access-log
  row; ``open_person_for_edit`` for the pages that change a person's file (403 for a reader
  limited by consent); ``open_person_if_visible`` for a person reached through another object
  who may or may not be visible; ``log_person_shown`` / ``log_persons_shown`` for a person
  reached through another object, or the persons a list shows (one row each).

It imports only models (and the audit trail's model): selectors, services and views import
it, never the other way round. Views never write ``AccessLog`` themselves
(``tests/test_access_layer.py``).
"""
