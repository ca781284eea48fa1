"""Audit event types come from one registry (``tandem.audit.events.Event``): the trail refuses
any other string, and no module names an event type as a free string."""

import ast
import pathlib

import pytest

from tandem.audit.events import EVENT_TYPES, Event
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_event_record, audit_events_in_bulk

ROOT = pathlib.Path(__file__).resolve().parents[2] / "tandem"


@pytest.mark.django_db
def test_a_registered_type_is_stored_as_its_plain_value(mediator):
    event = audit_event_record(actor=mediator, event_type=Event.PERSON_CREATED)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.event_type == "person.created"
    assert type(stored.event_type) is str


@pytest.mark.django_db
def test_an_unregistered_type_is_refused_and_nothing_is_written(mediator):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="unregistered audit event type"):
        audit_event_record(actor=mediator, event_type="person.creatd")  # type: ignore[arg-type]
    with pytest.raises(ValueError), audit_events_in_bulk():
        audit_event_record(actor=mediator, event_type="made.up")  # type: ignore[arg-type]
    assert AuditEvent.objects.count() == before


def test_the_registry_names_each_value_once_in_the_house_style():
    assert len(EVENT_TYPES) == len(Event)
    for event in Event:
        assert event.name == event.value.upper().replace(".", "_")
        subject, _, rest = event.value.partition(".")
        assert subject and rest and event.value == event.value.lower()


def _sources() -> list[pathlib.Path]:
    return [
        p
        for p in sorted(ROOT.rglob("*.py"))
        if "migrations" not in p.parts and p != ROOT / "audit" / "events.py"
    ]


def test_no_module_writes_an_event_type_as_a_free_string():
    """Every registered value appears as a string only in the registry; every
    ``event_type=`` argument is an expression (``Event.X``, a parameter), never a literal or
    an f-string."""
    found = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT.parent)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in EVENT_TYPES:
                found.append(f"{where}:{node.lineno} {node.value!r}")
            if (
                isinstance(node, ast.keyword)
                and node.arg == "event_type"
                and any(
                    isinstance(n, ast.JoinedStr)
                    or (isinstance(n, ast.Constant) and isinstance(n.value, str))
                    for n in ast.walk(node.value)
                )
            ):
                found.append(f"{where}:{node.lineno} event_type={ast.unparse(node.value)}")
    assert found == []
