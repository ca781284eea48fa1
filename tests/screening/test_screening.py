import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.accounts.models import OrganisationKind, Role
from tandem.audit.models import AccessLog, AuditEvent
from tandem.registry.selectors import person_queryset_for
from tandem.screening import services
from tandem.screening.exceptions import ChecklistFrozen
from tandem.screening.models import Advice, ChecklistVersion, Route, Screening
from tandem.screening.selectors import current_checklist
from tests.factories import OrganisationFactory, make_person, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def service_line(organisation):
    return make_user(Role.SERVICE_LINE, organisation=organisation, username="servicelijn")


@pytest.fixture
def office(db):
    vdab = OrganisationFactory(name="VDAB", code="vdab-root")
    return OrganisationFactory(
        name="VDAB Gent-Centrum",
        code="vdab-gent-centrum",
        parent=vdab,
        kind=OrganisationKind.PUBLIC_EMPLOYMENT_SERVICE,
    )


def _conduct(user, person, present=(), **kwargs):
    defaults = {"motivation": "sufficient", "outflow_within_two_years": "yes"}
    defaults.update(kwargs)
    return services.screening_conduct(
        acting_user=user,
        person=person,
        checklist=current_checklist(),
        present=present,
        **defaults,
    )


def test_the_default_checklist_covers_every_life_domain():
    checklist = current_checklist()
    assert checklist.is_published
    from tandem.common.models import LifeDomain

    assert {s.domain for s in checklist.signals.all()} == set(LifeDomain.values)


def test_a_screening_keeps_answers_lights_advice_and_route(service_line):
    person = make_person(service_line, birth_date=dt.date(1980, 1, 1))
    screening = _conduct(service_line, person, ["schulden", "slechte-woning", "geen-kinderopvang"])
    assert screening.lights["income"]["light"] == "orange"
    assert screening.lights["housing"]["light"] == "orange"
    assert screening.advice == Advice.REFER_MEDIATOR
    assert screening.route_suggested == Route.W2
    assert screening.answers.filter(present=True).count() == 3
    assert screening.answers.count() == current_checklist().signals.count()
    assert AuditEvent.objects.filter(event_type="screening.conducted", person=person).exists()


def test_a_screening_keeps_the_version_it_used(service_line):
    person = make_person(service_line)
    first = _conduct(service_line, person, ["schulden"])
    draft = services.checklist_new_version(acting_user=None, based_on=first.checklist)
    draft.signals.filter(code="schulden").update(weight=3)
    services.checklist_publish(acting_user=None, checklist=draft)
    assert current_checklist().version == 2
    second = _conduct(service_line, person, ["schulden"])
    first.refresh_from_db()
    assert first.checklist.version == 1
    assert first.lights["income"]["light"] == "orange"
    assert second.lights["income"]["light"] == "red"


def test_a_published_version_is_frozen():
    with pytest.raises(ChecklistFrozen):
        services.checklist_publish(acting_user=None, checklist=ChecklistVersion.objects.get())


def test_unknown_signal_codes_are_refused(service_line):
    person = make_person(service_line)
    with pytest.raises(ValidationError):
        _conduct(service_line, person, ["made-up"])
    assert not Screening.objects.exists()


def test_only_screening_roles_can_screen(organisation):
    coach = make_user(Role.GROUP_COACH, organisation=organisation)
    mediator = make_user(Role.MEDIATOR, organisation=organisation)
    person = make_person(mediator)
    with pytest.raises(PermissionDenied):
        _conduct(coach, person)


def test_a_mediator_may_choose_another_route_with_a_reason(service_line, organisation):
    mediator = make_user(Role.MEDIATOR, organisation=organisation)
    person = make_person(service_line)
    screening = _conduct(service_line, person, ["schulden", "slechte-woning"])
    assert screening.route_suggested == Route.W2
    with pytest.raises(ValidationError):
        services.screening_choose_route(
            acting_user=mediator, screening=screening, route=Route.WORK_CARE, reason="  "
        )
    with pytest.raises(PermissionDenied):
        services.screening_choose_route(
            acting_user=service_line, screening=screening, route=Route.WORK_CARE, reason="x"
        )
    services.screening_choose_route(
        acting_user=mediator,
        screening=screening,
        route=Route.WORK_CARE,
        reason="Net opgenomen geweest.",
    )
    screening.refresh_from_db()
    assert screening.route == Route.WORK_CARE
    assert screening.route_suggested == Route.W2
    assert screening.route_chosen_by == mediator


def test_refer_on_assigns_the_office(service_line, office):
    person = make_person(service_line)
    screening = _conduct(service_line, person, ["schulden", "slechte-woning"])
    office_mediator = make_user(Role.MEDIATOR, organisation=office)
    assert not person_queryset_for(office_mediator).filter(pk=person.pk).exists()
    services.screening_refer(
        acting_user=service_line,
        screening=screening,
        organisation=office,
        note="Graag snel contact.",
    )
    assert person_queryset_for(office_mediator).filter(pk=person.pk).exists()
    with pytest.raises(ValidationError):
        services.screening_refer(acting_user=service_line, screening=screening, organisation=office)


def test_refer_only_to_a_public_employment_office(service_line):
    person = make_person(service_line)
    screening = _conduct(service_line, person)
    caw = OrganisationFactory(kind=OrganisationKind.CAW)
    with pytest.raises(ValidationError):
        services.screening_refer(acting_user=service_line, screening=screening, organisation=caw)


# --- views -------------------------------------------------------------------------------


def test_screen_through_the_form_and_see_the_result(client, service_line):
    person = make_person(service_line, first_name="Fatima", registration="non_active")
    client.force_login(service_line)
    url = reverse("screening:screening_create", kwargs={"public_id": person.public_id})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "conducted_on": dt.date.today().isoformat(),
            "motivation": "sufficient",
            "outflow_within_two_years": "yes",
            "signal_schulden": "on",
            "signal_dakloos": "on",
            "notes": "",
        },
    )
    screening = Screening.objects.get()
    assert response.status_code == 302
    page = client.get(response.url)
    body = page.content.decode()
    assert page.status_code == 200
    assert screening.non_active
    assert "Fatima" in body
    assert screening.get_advice_display() in body
    assert AccessLog.objects.filter(what="screening", person=person).count() == 1


def test_rescreening_shows_what_changed(client, service_line):
    person = make_person(service_line)
    first = _conduct(service_line, person, ["schulden"], conducted_on=dt.date(2026, 1, 5))
    second = _conduct(
        service_line, person, ["schulden", "geen-inkomen"], conducted_on=dt.date(2026, 3, 5)
    )
    client.force_login(service_line)
    response = client.get(
        reverse("screening:screening_detail", kwargs={"public_id": second.public_id})
    )
    changes = response.context["changes"]
    assert response.context["previous"] == first
    assert [(c["before"], c["after"]) for c in changes] == [("orange", "red")]


def test_another_organisations_screening_is_not_found(client, service_line, other_mediator):
    person = make_person(other_mediator)
    screening = services.screening_conduct(
        acting_user=other_mediator,
        person=person,
        checklist=current_checklist(),
        present=[],
        motivation="sufficient",
        outflow_within_two_years="yes",
    )
    client.force_login(service_line)
    for name in ("screening_detail",):
        assert (
            client.get(
                reverse(f"screening:{name}", kwargs={"public_id": screening.public_id})
            ).status_code
            == 404
        )
    for name in ("screening_refer",):
        assert (
            client.post(
                reverse(f"screening:{name}", kwargs={"public_id": screening.public_id})
            ).status_code
            == 404
        )
    url = reverse("screening:screening_create", kwargs={"public_id": person.public_id})
    assert client.get(url).status_code == 404


def test_route_choice_form_needs_a_reason(client, service_line, organisation):
    mediator = make_user(Role.MEDIATOR, organisation=organisation)
    person = make_person(service_line)
    screening = _conduct(service_line, person, ["schulden", "slechte-woning"])
    client.force_login(mediator)
    url = reverse("screening:screening_route", kwargs={"public_id": screening.public_id})
    response = client.post(url, {"route": "work_care", "reason": ""})
    assert response.status_code == 400
    assert response.context["route_form"].errors["reason"]
    response = client.post(url, {"route": "work_care", "reason": "Behandeling loopt."})
    assert response.status_code == 302
    screening.refresh_from_db()
    assert screening.route_chosen == "work_care"


def test_screening_page_costs_a_constant_number_of_queries(
    client, service_line, django_assert_max_num_queries
):
    person = make_person(service_line)
    _conduct(service_line, person, ["schulden"])
    screening = _conduct(service_line, person, ["schulden", "dakloos", "niemand"])
    client.force_login(service_line)
    with django_assert_max_num_queries(14):
        client.get(reverse("screening:screening_detail", kwargs={"public_id": screening.public_id}))


def test_admin_makes_a_draft_version_and_publishes_it(client, organisation):
    admin_user = make_user(Role.ADMIN, organisation=organisation)
    client.force_login(admin_user)
    changelist = reverse("admin:screening_checklistversion_changelist")
    assert client.get(changelist).status_code == 200
    v1 = ChecklistVersion.objects.get()
    response = client.post(changelist, {"action": "make_draft", "_selected_action": [v1.pk]})
    assert response.status_code == 302
    draft = ChecklistVersion.objects.get(version=2)
    assert not draft.is_published
    assert draft.signals.count() == v1.signals.count()
    # A published version cannot be changed; the draft can.
    assert (
        client.get(reverse("admin:screening_checklistversion_change", args=[v1.pk])).status_code
        == 200
    )
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert current_checklist().version == 2


def test_special_category_signals_only_for_the_screener_and_the_duo(
    client, service_line, organisation
):
    person = make_person(service_line)
    screening = _conduct(service_line, person, ["schulden", "psychiatrische-problematiek"])
    url = reverse("screening:screening_detail", kwargs={"public_id": screening.public_id})
    question = "Uitgesproken psychiatrische problematiek"
    client.force_login(service_line)
    response = client.get(url)
    assert question in response.content.decode()
    colleague = make_user(Role.SERVICE_LINE, organisation=organisation)
    client.force_login(colleague)
    response = client.get(url)
    body = response.content.decode()
    assert question not in body
    lights = {d["code"]: d["light"] for d in response.context["lights"]}
    assert lights["mental_health"] == "hidden"
    assert lights["income"] == "orange"
    assert response.context["reasons_hidden"]
