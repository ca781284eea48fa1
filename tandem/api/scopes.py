"""The scopes an API client may hold: what kind of call it may make at all. What it sees within
a scope is decided by the access layer, as its service user."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    REFERRALS_READ = "referrals:read", _("Referrals: read the inbox and the sent list")
    REFERRALS_WRITE = "referrals:write", _("Referrals: answer and report (status changes)")
    PERSONS_READ = "persons:read", _("Persons: read (limited fields)")
    PERSONS_SEARCH = "persons:search", _("Persons: look up by national number")
    TRAJECTORIES_READ = "trajectories:read", _("Trajectories: read with their plan")
    TRAJECTORIES_WRITE = "trajectories:write", _("Trajectories: contacts and plan action status")
    STATUS_WRITE = "status:write", _("Labour-market status: upload events")
    GROUPWORK_READ = "groupwork:read", _("Group work: read")
    GROUPWORK_WRITE = "groupwork:write", _("Group work: requests, intakes, attendance")
    DIRECTORY_READ = "directory:read", _("Services directory: read")
    DIRECTORY_WRITE = "directory:write", _("Services directory: the organisation's own entries")
    AGGREGATES_READ = "aggregates:read", _("Aggregates: published figures")
    EVENTS_READ = "events:read", _("Change feed: read")
