"""The access layer (issue 15): scope and access logging are decided in ``tandem/access`` only.

- No view module (``tandem/**/views*.py``) writes ``AccessLog`` or calls the audit app's
  ``access_log_record*`` itself: views log through ``tandem.access.log`` (``open_person``,
  ``open_trajectory``, ``log_person_shown``, ``log_persons_shown``).
- The duo rule and the consent-recipient rule are written once, in ``tandem/access/scope.py``.
- The log helpers write the same rows the audit trail always had.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from tandem.access.log import (
    log_persons_shown,
    open_person,
    open_person_for_edit,
    open_person_if_visible,
    open_trajectory,
)
from tandem.audit.models import AccessLog
from tests.factories import make_person

ROOT = Path(__file__).resolve().parent.parent / "tandem"
VIEW_MODULES = sorted(ROOT.rglob("views*.py"))
ACCESS = ROOT / "access"

# Empty: every view logs through the access layer. A module may only be added here, with a
# reason, while it is being converted; the list only shrinks.
ALLOWED_TO_LOG_ITSELF: set[str] = set()

WRITERS = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _own_logging(path: Path) -> list[str]:
    """Where a module writes ``AccessLog`` or calls ``access_log_record*`` itself."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name.startswith("access_log_record"):
                    found.append(f"line {node.lineno}: imports {alias.name}")
        elif isinstance(node, (ast.Name, ast.Attribute)):
            name = node.id if isinstance(node, ast.Name) else node.attr
            if name.startswith("access_log_record"):
                found.append(f"line {node.lineno}: uses {name}")
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "AccessLog":
                found.append(f"line {node.lineno}: builds an AccessLog")
            if (
                isinstance(func, ast.Attribute)
                and func.attr in WRITERS
                and "AccessLog" in ast.unparse(func.value)
            ):
                found.append(f"line {node.lineno}: AccessLog…{func.attr}()")
    return found


def test_view_modules_are_found():
    assert len(VIEW_MODULES) >= 13


@pytest.mark.parametrize("path", VIEW_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_view_writes_the_access_log_itself(path):
    rel = str(path.relative_to(ROOT))
    found = _own_logging(path)
    if rel in ALLOWED_TO_LOG_ITSELF:
        assert found, f"{rel} no longer logs itself: take it off ALLOWED_TO_LOG_ITSELF"
        return
    assert not found, (
        f"{rel} logs person reads itself ({'; '.join(found)}): use tandem.access.log "
        "(open_person, open_trajectory, log_person_shown, log_persons_shown)"
    )


def test_the_guard_catches_a_view_that_logs_itself(tmp_path):
    view = tmp_path / "views_bad.py"
    view.write_text(
        "from tandem.audit.services import access_log_record\n"
        "from tandem.audit.models import AccessLog\n"
        "def v(request, person):\n"
        "    access_log_record(request=request, person=person, what='x')\n"
        "    AccessLog.objects.create(person=person)\n"
        "    AccessLog.objects.bulk_create([AccessLog(person=person)])\n"
    )
    assert {line.split(":")[0] for line in _own_logging(view)} == {
        "line 1",
        "line 4",
        "line 5",
        "line 6",
    }


# The rules written once: their text appears nowhere else in the code.
RULES = {
    "duo rule": re.compile(
        r"Q\((?:\w+__)?lead_mediator=\w+\)\s*\|\s*Q\((?:\w+__)?welfare_partner="
    ),
    "consent-recipient rule": re.compile(
        r"recipient_organisation(?:_id)?\s*==|Q\(recipient_organisation=\w"
    ),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_rule_is_written_once_in_the_access_layer(rule):
    pattern = RULES[rule]
    places = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    outside = [p for p in places if not p.startswith("access/")]
    assert not outside, f"the {rule} is written again in {outside}: use tandem.access.scope"


# --- the helpers write the rows the views always wrote --------------------------------------


@pytest.fixture
def rf_request(mediator):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = mediator
    return request


@pytest.mark.django_db
def test_open_person_returns_the_person_and_logs_one_row(rf_request, mediator):
    person = make_person(mediator)
    assert open_person(rf_request, str(person.public_id), what="person file") == person
    row = AccessLog.objects.get()
    assert (row.person, row.user, row.organisation, row.roles, row.what, row.purpose) == (
        person,
        mediator,
        mediator.organisation,
        "mediator",
        "person file",
        "case work",
    )
    assert row.ip_address == "10.1.2.3"


@pytest.mark.django_db
def test_a_missing_and_a_forbidden_object_are_the_same_404_and_log_nothing(
    rf_request, other_mediator
):
    hidden = make_person(other_mediator)
    for opener in (open_person, open_trajectory):
        for key in (str(hidden.public_id), "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
            with pytest.raises(Http404):
                opener(rf_request, key, what="x")
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_a_list_logs_one_row_per_person_with_its_purpose(rf_request, mediator):
    persons = [make_person(mediator), make_person(mediator)]
    log_persons_shown(rf_request, persons, what="search result", purpose="data protection")
    rows = AccessLog.objects.order_by("pk")
    assert [r.person for r in rows] == persons
    assert {(r.what, r.purpose) for r in rows} == {("search result", "data protection")}


@pytest.mark.django_db
def test_an_anonymous_request_cannot_be_logged(rf_request, mediator):
    from django.contrib.auth.models import AnonymousUser

    rf_request.user = AnonymousUser()
    with pytest.raises(PermissionError):
        log_persons_shown(rf_request, [make_person(mediator)], what="x")


@pytest.fixture
def consent_reader(mediator, partner):
    """A welfare partner of another organisation who sees a person only as the duo partner,
    under a consent naming their organisation (some life domains): a reader limited by it."""
    from django.utils import timezone

    from tandem.network.models import Consent
    from tandem.trajectories.services import trajectory_set_welfare_partner, trajectory_start

    person = make_person(mediator)
    trajectory = trajectory_start(
        acting_user=mediator, person=person, type="w2", reason="Direct start", status="active"
    )
    trajectory_set_welfare_partner(acting_user=mediator, trajectory=trajectory, partner=partner)
    Consent.objects.create(  # the consent model (its service lives higher up, in network)
        organisation=mediator.organisation,
        person=person,
        recipient_organisation=partner.organisation,
        domains=["housing"],
        purpose="Begeleiding",
        given_on=timezone.localdate(),
        recorded_by=mediator,
        evidence="signed_form",
    )
    return partner, person


@pytest.mark.django_db
def test_open_person_for_edit_logs_the_edit_form_like_open_person(rf_request, mediator):
    person = make_person(mediator)
    opened = open_person_for_edit(rf_request, str(person.public_id), what="person edit form")
    assert opened == person
    assert list(AccessLog.objects.values_list("person", "what")) == [
        (person.pk, "person edit form")
    ]


@pytest.mark.django_db
def test_open_person_for_edit_refuses_a_reader_limited_by_consent_and_logs_nothing(
    rf_request, consent_reader
):
    partner, person = consent_reader
    rf_request.user = partner
    assert open_person(rf_request, str(person.public_id), what="person file") == person
    logged = AccessLog.objects.count()  # the log is append-only (PostgreSQL refuses DELETE)
    assert logged == 1
    with pytest.raises(PermissionDenied):
        open_person_for_edit(rf_request, str(person.public_id), what="person edit form")
    assert AccessLog.objects.count() == logged


@pytest.mark.django_db
def test_open_person_for_edit_is_the_same_404_for_a_missing_and_a_forbidden_person(
    rf_request, other_mediator
):
    hidden = make_person(other_mediator)
    for key in (str(hidden.public_id), "not-a-uuid"):
        with pytest.raises(Http404):
            open_person_for_edit(rf_request, key, what="x")
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_open_person_if_visible_logs_only_a_person_the_user_may_see(
    rf_request, mediator, other_mediator
):
    mine, hidden = make_person(mediator), make_person(other_mediator)
    assert open_person_if_visible(rf_request, None, what="outreach prospect") is None
    assert open_person_if_visible(rf_request, hidden, what="outreach prospect") is None
    assert not AccessLog.objects.exists()
    assert open_person_if_visible(rf_request, mine, what="outreach prospect") == mine
    assert list(AccessLog.objects.values_list("person", "what")) == [(mine.pk, "outreach prospect")]
