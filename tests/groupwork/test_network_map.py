"""The social network map (ecogram): the SVG drawing, the summary and comparison, the save
service with its rules, and the two pages."""

from __future__ import annotations

import datetime as dt
import math
import random
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from tandem.accounts.models import OrganisationKind, Role, User
from tandem.audit.models import AccessLog, AuditEvent
from tandem.groupwork import services as gservices
from tandem.groupwork.enrolment import services as enrolment_services
from tandem.groupwork.models import Enrolment, NetworkMap, NetworkTie
from tandem.groupwork.networkmap.ecogram import ecogram_svg
from tandem.groupwork.networkmap.layout import CY, LABEL_CHARS, OUTER, WIDTH, Box, Node, layout
from tandem.groupwork.networkmap.services import MAX_TIES, network_map_save
from tandem.groupwork.networkmap.summary import SECTORS, Tie, compare, summarise
from tandem.groupwork.selfassessment.rules import ITEMS
from tandem.groupwork.selfassessment.services import self_assessment_save
from tandem.programmes.services import project_upsert
from tandem.trajectories.services import trajectory_start
from tests.factories import OrganisationFactory, make_person, make_user

TODAY = timezone.localdate()
NS = {"svg": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (the source language); the pages too."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it well-formed


def _tie(label: str, relation: str = "family", strength: int = 2, **extra: Any) -> dict[str, Any]:
    return {"label": label, "kind": "person", "relation": relation, "strength": strength, **extra}


EIGHT = [
    Tie("Zus", "person", "family", 3),
    Tie("Moeder", "person", "family", 2, strained=True),
    Tie("Ex-partner", "person", "family", 1, strained=True),
    Tie("Buurvrouw Mia", "person", "friends", 3),
    Tie("Ali", "person", "friends", 1),
    Tie("Voetbalclub", "organisation", "work_school", 2),
    Tie("OCMW Gent", "organisation", "professional", 2),
    Tie("CAW", "organisation", "professional", 1),
]


# --- the drawing -----------------------------------------------------------------------------


def test_the_map_is_an_accessible_svg_with_a_node_per_tie():
    svg = ecogram_svg(EIGHT, title="Netwerk bij de start", chart_id="map-start")
    assert isinstance(svg, SafeString)
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    assert root.get("viewBox", "").startswith("0 0 400 ")
    assert root.get("aria-labelledby") == "map-start-title"
    assert root.get("aria-describedby") == "map-start-desc"
    assert root.find("svg:title", NS).text == "Netwerk bij de start"
    desc = root.find("svg:desc", NS).text
    assert desc.startswith("8 ties: Family 3; Friends and neighbours 2;")
    assert "Strong 2, medium 3, weak 3" in desc
    assert "Strained 2" in desc
    assert "Persons 5, organisations 3" in desc
    assert len(root.findall(".//svg:g[@class='ecogram-node']", NS)) == 8
    assert len(root.findall(".//svg:circle[@class='ecogram-person']", NS)) == 5
    assert len(root.findall(".//svg:rect[@class='ecogram-organisation']", NS)) == 3
    assert len(root.findall(".//svg:text[@class='ecogram-label']", NS)) == 8
    # No inline style or script: the CSP forbids them.
    assert "style=" not in svg and "<script" not in svg


def test_the_four_sectors_are_titled_with_their_counts():
    root = _parse(ecogram_svg(EIGHT))
    titles = [
        "".join(t.itertext())
        for t in root.iter(f"{SVG}text")
        if "ecogram-title" in t.get("class", "")
    ]
    assert titles == [
        "Family (3)",
        "Friends andneighbours (2)",
        "Work, school andleisure (1)",
        "Professional helpand services (2)",
    ]


def test_strained_ties_are_dashed_and_stronger_ties_thicker_and_closer():
    root = _parse(ecogram_svg(EIGHT))
    lines = [line for line in root.iter(f"{SVG}line") if "ecogram-line" in line.get("class", "")]
    nodes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "ecogram-node"]
    assert len(lines) == len(nodes) == 8
    dashed = [line for line in lines if line.get("stroke-dasharray")]
    assert len(dashed) == 2
    assert all("ecogram-strained" in line.get("class") for line in dashed)

    # Lines are drawn in the order of the nodes: pair them to know each line's strength.
    widths: dict[int, set[float]] = {}
    lengths: dict[int, list[float]] = {}
    for line, node in zip(lines, nodes, strict=True):
        strength = int(node.get("data-strength"))
        x1, y1, x2, y2 = (float(line.get(a)) for a in ("x1", "y1", "x2", "y2"))
        widths.setdefault(strength, set()).add(float(line.get("stroke-width")))
        lengths.setdefault(strength, []).append(math.hypot(x2 - x1, y2 - y1))
    assert all(len(w) == 1 for w in widths.values())
    assert max(widths[3]) > max(widths[2]) > max(widths[1])
    assert max(lengths[3]) < min(lengths[2])
    assert max(lengths[2]) < min(lengths[1])


def test_labels_are_escaped_and_the_svg_stays_well_formed():
    evil = [
        Tie("<script>alert(1)</script>", "person", "friends", 3),
        Tie('Tom & "Jerry"', "organisation", "work_school", 1),
    ]
    svg = ecogram_svg(evil, title="<b>kaart</b>")
    assert "<script>" not in svg and "<b>" not in svg
    root = _parse(svg)
    texts = {t.text for t in root.iter(f"{SVG}text")}
    # Cut short in the drawing; the node's tooltip and the page's table have it in full.
    assert any(t.startswith("<script>") and t.endswith("…") for t in texts if t)
    assert 'Tom & "Jerry"' in texts
    node_titles = [
        t.text
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "ecogram-node"
        for t in g
        if t.tag == f"{SVG}title"
    ]
    assert "<script>alert(1)</script> (Friends and neighbours, strong)" in node_titles
    assert root.find("svg:title", NS).text == "<b>kaart</b>"


def test_an_empty_map_is_drawn_with_a_note():
    root = _parse(ecogram_svg([], empty_text="Nog niemand getekend"))
    assert not root.findall(".//svg:g[@class='ecogram-node']", NS)
    (note,) = [t for t in root.iter(f"{SVG}text") if t.get("class") == "ecogram-empty"]
    assert note.text == "Nog niemand getekend"
    assert root.find("svg:desc", NS).text == "No ties on this map."


def test_a_bad_chart_id_is_refused():
    with pytest.raises(ValueError, match="chart_id"):
        ecogram_svg(EIGHT, chart_id="1 bad")


def _angle_in_sector(node: Node) -> bool:
    index = SECTORS.index(node.tie.relation)
    return index * 90 < node.angle < (index + 1) * 90


def test_the_layout_is_deterministic_and_spreads_each_sector_evenly():
    first = layout(EIGHT)
    assert [(n.x, n.y, n.text_x, n.text_y) for n in first] == [
        (n.x, n.y, n.text_x, n.text_y) for n in layout(list(reversed(EIGHT)))
    ]
    assert all(_angle_in_sector(n) for n in first)
    family = sorted(n.angle for n in first if n.tie.relation == "family")
    assert family == pytest.approx([15, 45, 75])


def _overlapping_label_pairs(nodes: list[Node]) -> int:
    return sum(
        1
        for i, a in enumerate(nodes)
        for b in nodes[i + 1 :]
        if a.label_box.overlap(b.label_box) > 0
    )


def test_a_dozen_ties_get_labels_that_do_not_overlap():
    rng = random.Random(7)
    ties = [
        Tie(
            f"Persoon {i} met naam",
            rng.choice(["person", "organisation"]),
            SECTORS[i % 4],
            rng.choice([1, 2, 3]),
        )
        for i in range(12)
    ]
    nodes = layout(ties)
    assert _overlapping_label_pairs(nodes) == 0
    bounds = Box(0, 0, WIDTH, CY + OUTER + 4)
    assert all(n.label_box.outside(bounds) == 0 for n in nodes)


def test_forty_ties_stay_mostly_legible():
    rng = random.Random(3)
    ties = [Tie(f"Naam {i} x", "person", SECTORS[i % 4], rng.choice([1, 2, 3])) for i in range(40)]
    nodes = layout(ties)
    assert len(nodes) == 40
    assert len({round(n.angle, 6) for n in nodes}) == 40  # no two nodes on one spoke
    assert _overlapping_label_pairs(nodes) <= 5


# --- summary and comparison ------------------------------------------------------------------


def test_the_summary_counts_per_sector_strength_and_kind():
    s = summarise(EIGHT)
    assert s.total == 8
    assert s.by_relation == {"family": 3, "friends": 2, "work_school": 1, "professional": 2}
    assert s.by_strength == {3: 2, 2: 3, 1: 3}
    assert s.strong_by_relation == {"family": 1, "friends": 1, "work_school": 0, "professional": 0}
    assert (s.strained, s.persons, s.organisations) == (2, 5, 3)


def test_the_comparison_gives_differences_and_plain_sentences():
    end_ties = [
        *EIGHT[:2],  # the ex-partner is gone
        *EIGHT[3:],
        Tie("Vriend Jo", "person", "friends", 3),
        Tie("Buurman", "person", "friends", 3),
        Tie("Jobclub", "organisation", "work_school", 2),
    ]
    c = compare(summarise(EIGHT), summarise(end_ties))
    assert c.complete
    rows = {r.key: (r.start, r.end, r.difference_text) for r in [*c.relations, *c.strengths]}
    assert rows["family"] == (3, 2, "\u22121")
    assert rows["friends"] == (2, 4, "+2")
    assert rows["work_school"] == (1, 2, "+1")
    assert rows["professional"] == (2, 2, "0")
    assert rows["3"] == (2, 4, "+2")
    others = {r.key: r.difference for r in c.others}
    assert others == {"total": 2, "strained": -1, "persons": 1, "organisations": 1}
    assert c.sentences == [
        "2 more ties at the end than at the start.",
        "2 strong ties more in friends and neighbours.",
        "1 strained tie fewer.",
    ]


def test_the_comparison_says_when_a_map_is_missing():
    c = compare(summarise(EIGHT), None)
    assert not c.complete
    assert c.relations[0].difference is None and c.relations[0].difference_text == ""
    assert c.text == "The end map has not been drawn yet: the comparison follows when it is."
    assert compare(None, None).text == "Neither map has been drawn yet."
    same = compare(summarise(EIGHT[:1]), summarise(EIGHT[:1]))
    assert same.sentences == ["As many ties at the end as at the start: 1."]


def test_the_comparison_is_translated():
    with translation.override("nl"):
        c = compare(summarise(EIGHT[:1]), summarise(EIGHT[:3]))
    assert "meer" in c.text


# --- the service -----------------------------------------------------------------------------


@dataclass
class Group:
    coach: User
    other_coach: User
    mediator: User
    programme: Any
    module: Any
    enrolment: Enrolment


def _project(code: str, promoter: Any) -> Any:
    return project_upsert(
        acting_user=None,
        code=code,
        name=f"Groepswerk {code}",
        promoter=promoter,
        start_date=TODAY - dt.timedelta(days=400),
        end_date=TODAY + dt.timedelta(days=400),
        budget=1000,
    )


def _trajectory(mediator: User, first_name: str = "Yasmina", last_name: str = "Amrani") -> Any:
    return trajectory_start(
        acting_user=mediator,
        person=make_person(mediator, first_name=first_name, last_name=last_name),
        type="w2",
        reason="test",
        status="active",
        start_date=TODAY - dt.timedelta(days=60),
    )


@pytest.fixture
def group(db, mediator) -> Group:
    partner = OrganisationFactory(
        name="Groep Intro Gent", code="groep-intro-net", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    coach = make_user(Role.GROUP_COACH, organisation=partner, username="net_coach")
    other_coach = make_user(Role.GROUP_COACH, organisation=partner, username="net_other_coach")
    programme = gservices.programme_save(
        acting_user=None,
        project=_project("net-1", partner),
        name="Netwerk versterken",
        province="oost_vlaanderen",
        coaches=[coach],
    )
    gservices.programme_save(
        acting_user=None,
        project=_project("net-2", partner),
        name="Ander programma",
        province="oost_vlaanderen",
        coaches=[other_coach],
    )
    module = gservices.module_save(
        acting_user=None,
        programme=programme,
        name="Mijn netwerk",
        theme="social_network",
        session_count=4,
    )
    enrolment_services.intake_plan(
        acting_user=None,
        module=module,
        starts_on=TODAY - dt.timedelta(days=7),
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis",
        coach=coach,
    )
    enrolment = enrolment_services.enrolment_request(
        acting_user=mediator,
        trajectory=_trajectory(mediator),
        module=module,
        on=TODAY - dt.timedelta(days=10),
    )
    enrolment = enrolment_services.enrolment_decide(
        acting_user=coach, enrolment=enrolment, accept=True, on=TODAY - dt.timedelta(days=9)
    )
    assert enrolment.status == "placed"
    return Group(coach, other_coach, mediator, programme, module, enrolment)


def _audits(event: str = "groupwork.network_map_saved") -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event).order_by("pk"))


def test_the_coach_saves_a_start_map(group):
    network_map = network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="start",
        ties=[
            _tie("  Zus  ", strength=3),
            _tie("OCMW", "professional", 1, kind="organisation", strained=True),
        ],
        drawn_on=TODAY - dt.timedelta(days=1),
    )
    assert (network_map.moment, network_map.drawn_by, network_map.drawn_on) == (
        "start",
        group.coach,
        TODAY - dt.timedelta(days=1),
    )
    ties = {t.label: t for t in network_map.ties.all()}
    assert set(ties) == {"Zus", "OCMW"}
    assert (ties["OCMW"].kind, ties["OCMW"].strained, ties["OCMW"].strength) == (
        "organisation",
        True,
        1,
    )
    (event,) = _audits()
    assert event.person == group.enrolment.trajectory.person
    assert event.actor == group.coach
    assert event.data == {
        "enrolment": str(group.enrolment.public_id),
        "moment": "start",
        "ties": 2,
        "replaced": False,
    }


def test_saving_again_replaces_the_map_and_all_its_ties(group):
    first = network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="start",
        ties=[_tie("Zus"), _tie("Broer")],
        drawn_on=TODAY - dt.timedelta(days=3),
    )
    second = network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="start",
        ties=[_tie("Moeder", strength=3)],
    )
    assert second.pk == first.pk
    assert second.drawn_on == TODAY
    assert list(NetworkTie.objects.values_list("label", flat=True)) == ["Moeder"]
    assert NetworkMap.objects.count() == 1
    assert _audits()[-1].data["replaced"] is True
    # The end map is a map of its own.
    network_map_save(
        acting_user=group.coach, enrolment=group.enrolment, moment="end", ties=[_tie("Zus")]
    )
    assert NetworkMap.objects.count() == 2
    assert second.ties.count() == 1


def test_a_map_without_ties_can_be_saved(group):
    network_map = network_map_save(
        acting_user=group.coach, enrolment=group.enrolment, moment="start", ties=[]
    )
    assert network_map.ties.count() == 0


def test_bad_rows_are_named_and_nothing_is_written(group):
    with pytest.raises(ValidationError) as info:
        network_map_save(
            acting_user=group.coach,
            enrolment=group.enrolment,
            moment="start",
            ties=[
                _tie("Zus"),
                _tie("   "),
                _tie("Buur", relation="neighbours"),
                _tie("Club", kind="club", strength=4),
                _tie("x" * 61, strength=True),
            ],
        )
    assert info.value.message_dict == {
        "ties": [
            "Row 2: write who it is.",
            "Row 3: choose a relation.",
            "Row 4: choose person or organisation.",
            "Row 4: choose a strength from 1 (weak) to 3 (strong).",
            "Row 5: keep the name to 60 characters.",
            "Row 5: choose a strength from 1 (weak) to 3 (strong).",
        ]
    }
    assert not NetworkMap.objects.exists()
    assert not NetworkTie.objects.exists()
    assert not _audits()


def test_a_bad_row_leaves_an_existing_map_as_it_was(group):
    network_map_save(
        acting_user=group.coach, enrolment=group.enrolment, moment="start", ties=[_tie("Zus")]
    )
    with pytest.raises(ValidationError):
        network_map_save(
            acting_user=group.coach,
            enrolment=group.enrolment,
            moment="start",
            ties=[_tie("Moeder"), _tie("Vader", relation="")],
        )
    assert list(NetworkTie.objects.values_list("label", flat=True)) == ["Zus"]
    assert len(_audits()) == 1


def test_strength_may_come_as_text(group):
    network_map = network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="start",
        ties=[_tie("Zus", strength="3")],
    )
    assert network_map.ties.get().strength == 3


def test_at_most_forty_ties_and_no_future_date(group):
    with pytest.raises(ValidationError) as info:
        network_map_save(
            acting_user=group.coach,
            enrolment=group.enrolment,
            moment="start",
            ties=[_tie(f"Naam {i}") for i in range(MAX_TIES + 1)],
        )
    assert info.value.message_dict == {"ties": ["At most 40 ties on one map; this one has 41."]}
    with pytest.raises(ValidationError) as info:
        network_map_save(
            acting_user=group.coach,
            enrolment=group.enrolment,
            moment="start",
            ties=[_tie("Zus")],
            drawn_on=TODAY + dt.timedelta(days=1),
        )
    assert "drawn_on" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        network_map_save(
            acting_user=group.coach, enrolment=group.enrolment, moment="middle", ties=[]
        )
    assert "moment" in info.value.message_dict
    assert not NetworkMap.objects.exists()
    network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="start",
        ties=[_tie(f"Naam {i}") for i in range(MAX_TIES)],
    )
    assert NetworkTie.objects.count() == MAX_TIES


def test_only_the_programmes_coach_draws(group):
    for user in (group.other_coach, group.mediator):
        with pytest.raises(PermissionDenied):
            network_map_save(
                acting_user=user, enrolment=group.enrolment, moment="start", ties=[_tie("Zus")]
            )
    assert not NetworkMap.objects.exists()


def test_only_for_participants_placed_or_completed(group):
    requested = enrolment_services.enrolment_request(
        acting_user=group.mediator,
        trajectory=_trajectory(group.mediator, "Pieter", "Claes"),
        module=group.module,
    )
    with pytest.raises(ValidationError, match="placed in the group"):
        network_map_save(
            acting_user=group.coach, enrolment=requested, moment="start", ties=[_tie("Zus")]
        )
    completed = enrolment_services.enrolment_complete(
        acting_user=group.coach, enrolment=group.enrolment, on=TODAY
    )
    network_map = network_map_save(
        acting_user=group.coach, enrolment=completed, moment="end", ties=[_tie("Zus")]
    )
    assert network_map.moment == "end"


# --- the pages -------------------------------------------------------------------------------


def _maps_url(enrolment: Enrolment) -> str:
    return f"/groupwork/enrolments/{enrolment.public_id}/network/"


def _post_data(rows: list[dict[str, Any]], *, initial: int = 0, **extra: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "drawn_on": TODAY.isoformat(),
        "ties-TOTAL_FORMS": str(len(rows)),
        "ties-INITIAL_FORMS": str(initial),
        "ties-MIN_NUM_FORMS": "0",
        "ties-MAX_NUM_FORMS": "40",
        **extra,
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"ties-{i}-{key}"] = "on"
            elif value not in (False, None):
                data[f"ties-{i}-{key}"] = str(value)
    return data


# What the browser sends for a row left untouched: no radio starts ticked (no silent defaults).
EMPTY_ROW = {"label": "", "kind": None, "relation": "", "strength": None}


def test_the_coach_draws_the_start_map_on_the_form(client, group):
    client.force_login(group.coach)
    url = _maps_url(group.enrolment) + "start/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="ties-TOTAL_FORMS" value="3"' in body  # three empty rows to fill in
    assert AccessLog.objects.filter(what="group work: network map form").count() == 1

    response = client.post(
        url,
        _post_data(
            [
                {"label": "Zus", "kind": "person", "relation": "family", "strength": 3},
                {
                    "label": "OCMW",
                    "kind": "organisation",
                    "relation": "professional",
                    "strength": 1,
                    "strained": True,
                },
                EMPTY_ROW,
            ]
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == _maps_url(group.enrolment)
    network_map = NetworkMap.objects.get(enrolment=group.enrolment, moment="start")
    assert sorted(network_map.ties.values_list("label", "strained")) == [
        ("OCMW", True),
        ("Zus", False),
    ]
    page = client.get(response["Location"])
    assert "The network map at the start is saved." in page.content.decode()


def test_the_form_starts_from_the_saved_map_and_removes_ticked_rows(client, group):
    network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="end",
        ties=[_tie("Zus", strength=3), _tie("Ex", strength=1, strained=True)],
    )
    client.force_login(group.coach)
    url = _maps_url(group.enrolment) + "end/"
    body = client.get(url).content.decode()
    assert 'value="Ex"' in body and 'value="Zus"' in body
    assert 'name="ties-TOTAL_FORMS" value="5"' in body
    # Rows in the map's order: family, strongest first.
    response = client.post(
        url,
        _post_data(
            [
                {"label": "Zus", "kind": "person", "relation": "family", "strength": 3},
                {
                    "label": "Ex",
                    "kind": "person",
                    "relation": "family",
                    "strength": 1,
                    "strained": True,
                    "DELETE": True,
                },
                {"label": "Nieuwe vriend", "kind": "person", "relation": "friends", "strength": 2},
            ],
            initial=2,
        ),
    )
    assert response.status_code == 302
    labels = NetworkMap.objects.get(moment="end").ties.values_list("label", flat=True)
    assert sorted(labels) == ["Nieuwe vriend", "Zus"]


def test_a_bad_row_is_shown_with_its_number_and_nothing_is_saved(client, group):
    client.force_login(group.coach)
    response = client.post(
        _maps_url(group.enrolment) + "start/",
        _post_data(
            [
                {"label": "Zus", "kind": "person", "relation": "family", "strength": 3},
                {"label": "Buur", "kind": "person", "relation": "", "strength": 2},
                EMPTY_ROW,
            ]
        ),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Row 2, relation: Choose a relation." in body
    assert not NetworkMap.objects.exists()


def test_a_service_error_is_shown_on_the_form(client, group):
    client.force_login(group.coach)
    response = client.post(
        _maps_url(group.enrolment) + "start/",
        _post_data([EMPTY_ROW], drawn_on=(TODAY + dt.timedelta(days=2)).isoformat()),
    )
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    assert not NetworkMap.objects.exists()


def test_the_mediator_sees_both_maps_compared(client, group):
    network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="start",
        ties=[_tie("Zus", strength=3), _tie("<script>x</script>", "friends", 1)],
    )
    network_map_save(
        acting_user=group.coach,
        enrolment=group.enrolment,
        moment="end",
        ties=[_tie("Zus", strength=3), _tie("Mia", "friends", 3), _tie("Jo", "friends", 3)],
    )
    client.force_login(group.mediator)
    response = client.get(_maps_url(group.enrolment))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg"') == 2
    assert 'id="ecogram-start-title"' in body and 'id="ecogram-end-title"' in body
    assert 'id="ties-start"' in body and 'id="ties-end"' in body
    assert "<script>x" not in body and "&lt;script&gt;x&lt;/script&gt;" in body
    assert "1 more tie at the end than at the start." in body
    assert "2 strong ties more in friends and neighbours." in body
    assert 'data-row="friends"' in body
    assert 'id="edit-start"' not in body  # the mediator does not draw
    log = AccessLog.objects.get(what="group work: network map")
    assert (log.user, log.person) == (group.mediator, group.enrolment.trajectory.person)


def test_the_coach_gets_links_to_draw(client, group):
    client.force_login(group.coach)
    body = client.get(_maps_url(group.enrolment)).content.decode()
    assert f'href="{_maps_url(group.enrolment)}start/"' in body
    assert f'href="{_maps_url(group.enrolment)}end/"' in body
    assert "Neither map has been drawn yet." in body


def test_the_mediator_may_not_open_the_form(client, group):
    client.force_login(group.mediator)
    assert client.get(_maps_url(group.enrolment) + "start/").status_code == 403
    response = client.post(
        _maps_url(group.enrolment) + "start/",
        _post_data([{"label": "Zus", "kind": "person", "relation": "family", "strength": 3}]),
    )
    assert response.status_code == 403
    assert not NetworkMap.objects.exists()


def test_an_unknown_moment_is_not_found(client, group):
    client.force_login(group.coach)
    assert client.get(_maps_url(group.enrolment) + "middle/").status_code == 404


def test_others_do_not_find_the_enrolment(client, group, other_mediator):
    network_map_save(
        acting_user=group.coach, enrolment=group.enrolment, moment="start", ties=[_tie("Zus")]
    )
    for user in (other_mediator, group.other_coach):
        client.force_login(user)
        assert client.get(_maps_url(group.enrolment)).status_code == 404
        assert client.get(_maps_url(group.enrolment) + "start/").status_code == 404
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    assert client.get(_maps_url(group.enrolment)).status_code == 403
    assert not AccessLog.objects.exists()


def test_a_form_for_someone_no_longer_in_the_group_sends_back(client, group):
    enrolment_services.enrolment_leave(
        acting_user=group.coach, enrolment=group.enrolment, reason="work", on=TODAY
    )
    client.force_login(group.coach)
    response = client.get(_maps_url(group.enrolment) + "start/")
    assert response.status_code == 302
    assert response["Location"] == _maps_url(group.enrolment)


def test_the_page_costs_a_constant_number_of_queries(client, group, django_assert_max_num_queries):
    for moment in ("start", "end"):
        network_map_save(
            acting_user=group.coach,
            enrolment=group.enrolment,
            moment=moment,
            ties=[_tie(f"Naam {i}", SECTORS[i % 4], 1 + i % 3) for i in range(30)],
        )
    for moment in ("start", "end"):
        self_assessment_save(
            acting_user=group.coach,
            enrolment=group.enrolment,
            moment=moment,
            levels=dict.fromkeys(ITEMS, 3),
            with_participant=True,
        )
    client.force_login(group.mediator)
    # One more than the maps alone: the self-assessments beside them (issue 17).
    with django_assert_max_num_queries(12):
        assert client.get(_maps_url(group.enrolment)).status_code == 200


def test_a_long_name_in_the_centre_is_cut_short():
    root = _parse(ecogram_svg(EIGHT, centre_label="Marie-Christine Van den Bossche"))
    centre = root.find(".//svg:g[@class='ecogram-centre']/svg:text", NS)
    assert centre.text.endswith("…") and len(centre.text) <= LABEL_CHARS
