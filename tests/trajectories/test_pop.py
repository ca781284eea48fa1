"""The POP: versions, drafts, sign-off immutability, who may write it, its pages and its PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.common import pdf as pdf_module
from tandem.common.pdf import BASE_URL, StaticFilesOnlyFetcher, html_to_pdf
from tandem.trajectories.models import Perspective, PopReport, Status
from tandem.trajectories.pop import panels as panels_pop
from tandem.trajectories.pop.services import pop_draft, pop_sign_off, pop_update
from tandem.trajectories.services import trajectory_start, trajectory_transition
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _trajectory(mediator, **person_kwargs):
    person = make_person(mediator, **person_kwargs)
    return trajectory_start(
        acting_user=mediator, person=person, type="w2", reason="test", status="active"
    )


def _draft(user, trajectory, **overrides):
    values = {
        "job_target": "Magazijnier",
        "perspective": Perspective.NEC,
        "work_plan": "Heftruckattest halen.",
        "welfare_plan": "Schuldbemiddeling bij het OCMW.",
    }
    values.update(overrides)
    return pop_draft(acting_user=user, trajectory=trajectory, **values)


def _update(user, pop, **overrides):
    values = {name: getattr(pop, name) for name in ("job_target", "perspective", "work_plan")}
    values["welfare_plan"] = pop.welfare_plan
    values.update(overrides)
    return pop_update(acting_user=user, pop=pop, **values)


# --- services -------------------------------------------------------------------------------


def test_first_draft_is_version_one_and_audited(mediator):
    trajectory = _trajectory(mediator)
    pop = _draft(mediator, trajectory)
    assert pop.version == 1
    assert pop.signed_off_on is None
    assert pop.drafted_by == mediator
    event = AuditEvent.objects.get(event_type="pop.drafted")
    assert event.person == trajectory.person
    assert event.data["version"] == 1
    assert event.data["copied_from"] is None


def test_editing_a_draft_updates_the_same_version(mediator):
    trajectory = _trajectory(mediator)
    pop = _draft(mediator, trajectory)
    updated = _update(mediator, pop, job_target="Heftruckchauffeur")
    assert updated.pk == pop.pk
    assert PopReport.objects.filter(trajectory=trajectory).count() == 1
    assert PopReport.objects.get(pk=pop.pk).job_target == "Heftruckchauffeur"
    event = AuditEvent.objects.get(event_type="pop.updated")
    assert event.data["fields"] == ["job_target"]
    # The plan's text is case content: it stays out of the audit trail.
    assert "Heftruckchauffeur" not in str(event.data)


def test_no_new_version_while_a_draft_is_open(mediator):
    trajectory = _trajectory(mediator)
    _draft(mediator, trajectory)
    with pytest.raises(ValidationError) as exc:
        _draft(mediator, trajectory, job_target="Iets anders")
    assert exc.value.code == "draft_open"
    assert trajectory.pops.count() == 1


def test_a_signed_off_version_never_changes(mediator):
    trajectory = _trajectory(mediator)
    pop = _draft(mediator, trajectory)
    signed = pop_sign_off(acting_user=mediator, pop=pop, on=TODAY - dt.timedelta(days=2))
    assert signed.signed_off_on == TODAY - dt.timedelta(days=2)

    with pytest.raises(ValidationError) as exc:
        _update(mediator, pop, job_target="Kok")
    assert exc.value.code == "signed_off"
    with pytest.raises(ValidationError) as exc:
        pop_sign_off(acting_user=mediator, pop=pop, on=TODAY)
    assert exc.value.code == "signed_off"
    stored = PopReport.objects.get(pk=pop.pk)
    assert stored.job_target == "Magazijnier"
    assert stored.signed_off_on == TODAY - dt.timedelta(days=2)
    assert AuditEvent.objects.filter(event_type="pop.signed_off").count() == 1


def test_a_new_version_copies_the_signed_off_latest(mediator):
    trajectory = _trajectory(mediator)
    first = _draft(mediator, trajectory)
    pop_sign_off(acting_user=mediator, pop=first, on=TODAY)

    second = pop_draft(acting_user=mediator, trajectory=trajectory, job_target="Heftruckchauffeur")
    assert second.version == 2
    assert second.signed_off_on is None
    assert second.job_target == "Heftruckchauffeur"
    # What was not given is copied from version 1.
    assert second.perspective == first.perspective
    assert second.work_plan == first.work_plan
    assert second.welfare_plan == first.welfare_plan
    assert PopReport.objects.get(pk=first.pk).job_target == "Magazijnier"
    event = AuditEvent.objects.filter(event_type="pop.drafted").order_by("pk").last()
    assert (event.data["version"], event.data["copied_from"]) == (2, 1)
    assert list(trajectory.pops.values_list("version", flat=True)) == [2, 1]


def test_sign_off_cannot_lie_in_the_future(mediator):
    pop = _draft(mediator, _trajectory(mediator))
    with pytest.raises(ValidationError) as exc:
        pop_sign_off(acting_user=mediator, pop=pop, on=TODAY + dt.timedelta(days=1))
    assert "on" in exc.value.error_dict
    assert PopReport.objects.get(pk=pop.pk).signed_off_on is None


def test_the_perspective_must_be_one_of_the_five(mediator):
    trajectory = _trajectory(mediator)
    with pytest.raises(ValidationError) as exc:
        _draft(mediator, trajectory, perspective="somewhere")
    assert "perspective" in exc.value.error_dict
    with pytest.raises(ValidationError):
        pop_draft(acting_user=mediator, trajectory=trajectory)  # version 1 has nothing to copy


def test_who_may_not_write_a_pop(mediator, organisation, other_mediator):
    trajectory = _trajectory(mediator)
    outsider_coach = make_user(
        Role.GROUP_COACH, organisation=OrganisationFactory(kind=OrganisationKind.GROUP_WORK_PARTNER)
    )
    experience_expert = make_user(Role.EXPERIENCE_EXPERT, organisation=organisation)
    for user in (other_mediator, outsider_coach, experience_expert):
        with pytest.raises(PermissionDenied):
            _draft(user, trajectory)
    pop = _draft(mediator, trajectory)
    for user in (other_mediator, outsider_coach, experience_expert):
        with pytest.raises(PermissionDenied):
            _update(user, pop, job_target="Kok")
        with pytest.raises(PermissionDenied):
            pop_sign_off(acting_user=user, pop=pop, on=TODAY)


def test_a_closed_trajectory_gets_no_new_pop(mediator):
    trajectory = _trajectory(mediator)
    trajectory_transition(
        acting_user=mediator, trajectory=trajectory, to_status=Status.CLOSED, closure_reason="other"
    )
    trajectory.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _draft(mediator, trajectory)


# --- pages ----------------------------------------------------------------------------------


def _url(name, trajectory, **kwargs):
    return reverse(f"trajectories:{name}", kwargs={"public_id": trajectory.public_id, **kwargs})


def test_pop_page_shows_latest_version_and_versions_and_logs_the_read(mediator, mediator_client):
    trajectory = _trajectory(mediator)
    first = _draft(mediator, trajectory)
    pop_sign_off(acting_user=mediator, pop=first, on=TODAY)
    pop_draft(acting_user=mediator, trajectory=trajectory, job_target="Heftruckchauffeur")

    response = mediator_client.get(_url("pop_detail", trajectory))
    assert response.status_code == 200
    assert response.context["pop"].version == 2
    html = response.content.decode()
    assert 'id="pop-version-1"' in html and 'id="pop-version-2"' in html
    assert 'data-state="draft"' in html
    assert 'id="sign-off-form"' in html
    assert AccessLog.objects.filter(person=trajectory.person, what="POP").count() == 1

    response = mediator_client.get(_url("pop_version", trajectory, version=1))
    assert response.status_code == 200
    assert 'data-state="signed-off"' in response.content.decode()
    assert 'id="sign-off-form"' not in response.content.decode()
    assert mediator_client.get(_url("pop_version", trajectory, version=9)).status_code == 404


def test_pop_page_query_count_is_constant(mediator, mediator_client, django_assert_max_num_queries):
    trajectory = _trajectory(mediator)
    pop = _draft(mediator, trajectory)
    for _n in range(4):
        pop_sign_off(acting_user=mediator, pop=pop, on=TODAY)
        pop = pop_draft(acting_user=mediator, trajectory=trajectory)
    with django_assert_max_num_queries(12):
        assert mediator_client.get(_url("pop_detail", trajectory)).status_code == 200


def test_drafting_editing_and_signing_off_through_the_forms(mediator, mediator_client):
    trajectory = _trajectory(mediator)
    form = {
        "job_target": "Poetshulp",
        "perspective": Perspective.SOCIAL_ECONOMY,
        "work_plan": "Proefdag in een maatwerkbedrijf.",
        "welfare_plan": "",
    }
    response = mediator_client.post(_url("pop_edit", trajectory), form)
    assert response.status_code == 302
    pop = trajectory.pops.get()
    assert (pop.version, pop.job_target) == (1, "Poetshulp")

    response = mediator_client.post(_url("pop_edit", trajectory), {**form, "job_target": "Kok"})
    assert response.status_code == 302
    assert trajectory.pops.get().job_target == "Kok"

    response = mediator_client.post(
        _url("pop_sign_off", trajectory, version=1), {"on": TODAY.isoformat(), "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert trajectory.pops.get().signed_off_on == TODAY

    # After the sign-off the same form starts version 2 from version 1.
    response = mediator_client.get(_url("pop_edit", trajectory))
    assert response.context["form"].initial["job_target"] == "Kok"
    response = mediator_client.post(_url("pop_edit", trajectory), {**form, "job_target": "Chef"})
    assert response.status_code == 302
    assert list(trajectory.pops.values_list("version", "job_target")) == [(2, "Chef"), (1, "Kok")]


def test_form_errors_are_shown_not_saved(mediator, mediator_client):
    trajectory = _trajectory(mediator)
    response = mediator_client.post(_url("pop_edit", trajectory), {"job_target": "Kok"})
    assert response.status_code == 400
    assert "perspective" in response.context["form"].errors
    assert not trajectory.pops.exists()

    pop = _draft(mediator, trajectory)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    response = mediator_client.post(_url("pop_sign_off", trajectory, version=1), {"on": future})
    assert response.status_code == 400
    assert "on" in response.context["sign_off_form"].errors
    assert PopReport.objects.get(pk=pop.pk).signed_off_on is None


def test_another_organisation_gets_404_everywhere(mediator, other_mediator, client):
    trajectory = _trajectory(mediator)
    _draft(mediator, trajectory)
    client.force_login(other_mediator)
    for url in (
        _url("pop_detail", trajectory),
        _url("pop_version", trajectory, version=1),
        _url("pop_edit", trajectory),
        _url("pop_pdf", trajectory, version=1),
    ):
        assert client.get(url).status_code == 404, url
    assert (
        client.post(_url("pop_sign_off", trajectory, version=1), {"on": TODAY}).status_code == 404
    )
    assert not AccessLog.objects.filter(user=other_mediator).exists()


def test_roles_without_person_access_are_refused(mediator, organisation, client):
    trajectory = _trajectory(mediator)
    manager = make_user(Role.PROGRAMME_MANAGER, organisation=organisation)
    client.force_login(manager)
    assert client.get(_url("pop_detail", trajectory)).status_code == 403


# --- the PDF --------------------------------------------------------------------------------


def test_pop_pdf_is_a_pdf_download_without_name_or_insz(mediator, mediator_client, monkeypatch):
    trajectory = _trajectory(mediator, first_name="Yasmina", last_name="Amrani")
    _draft(mediator, trajectory, job_target="Heftruckchauffeur in de haven")
    rendered: list[str] = []

    def spy(html, **kwargs):
        rendered.append(html)
        return html_to_pdf(html, **kwargs)

    monkeypatch.setattr(pdf_module, "html_to_pdf", spy)
    url = _url("pop_pdf", trajectory, version=1)
    response = mediator_client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    assert disposition == 'attachment; filename="pop-v1.pdf"'
    person = trajectory.person
    for secret in (person.first_name, person.last_name, person.insz, person.insz[:6]):
        assert secret not in url
        assert secret not in disposition
    # What WeasyPrint rendered is the POP itself: the same content partial as the screen.
    assert len(rendered) == 1
    assert "Heftruckchauffeur in de haven" in rendered[0]
    assert 'id="pop-job-target"' in rendered[0]
    assert "Yasmina Amrani" in rendered[0]
    assert AccessLog.objects.filter(person=person, what="POP PDF", user=mediator).count() == 1


def test_pop_pdf_renders_in_the_request_language(mediator, mediator_client, monkeypatch):
    trajectory = _trajectory(mediator)
    _draft(mediator, trajectory)
    rendered: list[str] = []

    def record(html: str, **kwargs: object) -> bytes:
        rendered.append(html)
        return b"%PDF-stub"

    monkeypatch.setattr(pdf_module, "html_to_pdf", record)
    mediator_client.get(_url("pop_pdf", trajectory, version=1))
    assert '<html lang="nl">' in rendered[0]
    with translation.override("nl"):
        assert str(Perspective.NEC.label) in rendered[0]


def test_the_pdf_fetcher_serves_only_our_static_files():
    fetcher = StaticFilesOnlyFetcher(BASE_URL)
    response = fetcher.fetch(f"{BASE_URL}static/css/tandem.css")
    assert response.content_type == "text/css"
    assert b"--accent" in response.read()
    response.close()
    for url in (
        "https://example.org/static/css/tandem.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        f"{BASE_URL}static/../config/settings/base.py",
        f"{BASE_URL}static/%2e%2e/pyproject.toml",
        f"{BASE_URL}static/css/missing.css",
        f"{BASE_URL}admin/",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_pdf_fetcher_reads_collected_static_files_with_hashed_names(settings, tmp_path):
    """In production ``{% static %}`` writes hashed names that exist only in STATIC_ROOT."""
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "tandem.0123abcd.css").write_bytes(b"body { color: black; }")
    response = StaticFilesOnlyFetcher(BASE_URL).fetch(f"{BASE_URL}static/css/tandem.0123abcd.css")
    assert response.read() == b"body { color: black; }"
    response.close()


def test_a_pdf_with_an_external_resource_renders_without_fetching_it():
    html = (
        '<html><head><link rel="stylesheet" href="https://example.org/x.css"></head>'
        '<body><p>Tekst</p><img src="https://example.org/pixel.png" alt=""></body></html>'
    )
    assert html_to_pdf(html).startswith(b"%PDF")


# --- the panel on the trajectory page -------------------------------------------------------


def test_panel_shows_latest_version_in_one_query(mediator, django_assert_num_queries):
    trajectory = _trajectory(mediator)
    pop = _draft(mediator, trajectory)
    pop_sign_off(acting_user=mediator, pop=pop, on=TODAY)
    pop_draft(acting_user=mediator, trajectory=trajectory, job_target="Kok")
    mediator.role_codes  # noqa: B018 - cached by the request's first permission check
    with django_assert_num_queries(1):
        panel = panels_pop.panel_context(mediator, trajectory)["pop_panel"]
    assert panel.latest.version == 2
    assert panel.latest.job_target == "Kok"
    assert panel.version_count == 2
    assert panel.can_edit
