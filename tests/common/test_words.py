"""Words in the Dutch interface (issue 14): no English, no raw codes, real plurals.

The catalogue tests (tests/common/test_translations.py) prove every source string has a Dutch
translation; these catch the ways a translated interface still reads wrong: a ``%%`` that is
never formatted, a "contact(en)" instead of a plural form, a Django string Django's own Dutch
catalogue lacks, a stored code shown as it is stored, a label and its message run together.
"""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import re
from pathlib import Path

import django
import polib  # type: ignore[import-untyped]
import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation.template import templatize

from tandem.accounts.models import OrganisationKind, Role
from tests.factories import OrganisationFactory, make_user

ROOT = Path(settings.LOCALE_PATHS[0]).parent  # the tandem package
PO_PATH = Path(settings.LOCALE_PATHS[0]) / "nl" / "LC_MESSAGES" / "django.po"
GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "gettext_noop"}


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def _sources() -> list[Path]:
    return [p for p in ROOT.rglob("*.py") if "migrations" not in p.parts]


# A count followed by a word with "(s)", "(en)" or "word/words": "1 contact(en)",
# "3 probleem/problemen". Such a string needs ngettext / {% blocktranslate count %}.
PSEUDO_PLURAL = re.compile(r"%\(\w+\)[sd] [\w-]+(\((s|en|n)\)|/[\w-]+)")


def test_no_pseudo_plurals_after_a_count(po):
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        for text in (entry.msgid, entry.msgstr, *entry.msgstr_plural.values()):
            if PSEUDO_PLURAL.search(text):
                found.append(text)
    assert not found, "Use ngettext / blocktranslate count for:\n" + "\n".join(found)


def test_the_pseudo_plural_check_sees_one():
    assert PSEUDO_PLURAL.search("Contact genoteerd: %(name)s, %(n)s contact(en).")
    assert PSEUDO_PLURAL.search("%(n)s probleem/problemen in %(dir)s")
    assert not PSEUDO_PLURAL.search("de persoon (personen) die getoond worden")


def _percent_escapes_never_formatted(source: str) -> list[int]:
    """Lines where a translated string holding ``%%`` is not the left side of ``%``: the
    reader would see the two percent signs."""
    tree = ast.parse(source)
    formatted: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            formatted.add(id(node.left))
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in GETTEXT_CALLS or not node.args:
            continue
        first = node.args[0]
        # A string with "%%" and named placeholders is formatted (or the placeholders would
        # show, which the catalogue tests see); one with "%%" and none usually is not.
        if (
            isinstance(first, ast.Constant)
            and isinstance(first.value, str)
            and "%%" in first.value
            and "%(" not in first.value
            and id(node) not in formatted
        ):
            lines.append(node.lineno)
    return lines


def test_a_double_percent_is_only_written_in_strings_that_are_formatted():
    found = []
    for path in _sources():
        for line in _percent_escapes_never_formatted(path.read_text(encoding="utf-8")):
            found.append(f"{path.relative_to(ROOT)}:{line}")
    assert not found, "'%%' shows as '%%' unless the string is %-formatted:\n" + "\n".join(found)


def test_the_double_percent_check_sees_one():
    assert _percent_escapes_never_formatted('x = _("the 95 %% interval")\n') == [1]
    assert _percent_escapes_never_formatted('x = _("%(n)d %% shown") % {"n": 1}\n') == []
    assert _percent_escapes_never_formatted('x = _("%(n)d %% shown")\ny = x % {"n": 1}\n') == []


def test_a_double_percent_in_dutch_only_where_the_string_is_formatted(po):
    # In a python-format entry "%%" is one percent sign; anywhere else the reader sees two.
    found = [
        e.msgstr
        for e in po
        if not e.obsolete and "%%" in e.msgstr and "python-format" not in e.flags
    ]
    assert not found, "\n".join(found)


ENGLISH_WORDS = re.compile(r"\b(the|with|and|which|this|should|must|been|your|per year)\b")


def test_no_english_words_left_in_dutch_translations(po):
    found = []
    for entry in po:
        if entry.obsolete:
            continue
        for text in (entry.msgstr, *entry.msgstr_plural.values()):
            plain = re.sub(r"%\(\w+\)[sd]|\{\{.*?\}\}|<[^>]+>", "", text)
            if ENGLISH_WORDS.search(plain):
                found.append(text)
    assert not found, "English left in the Dutch catalogue:\n" + "\n".join(found)


def test_a_title_is_not_half_english():
    with translation.override("nl"):
        assert translation.gettext("Starts per year") == "Gestarte trajecten per jaar"


def _template_msgids(path: Path) -> set[str]:
    """The msgids a template asks for, found the way makemessages finds them."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = set()
    for match in re.finditer(r"\b(?:n|p)?gettext\(", code):
        end = code.find(")", match.end())
        while end != -1:
            try:
                call = ast.parse(code[match.start() : end + 1]).body[0].value  # type: ignore[attr-defined]
            except SyntaxError:
                end = code.find(")", end + 1)
                continue
            args = [a.value for a in call.args if isinstance(a, ast.Constant)]
            if args and isinstance(args[-1 if call.func.id == "pgettext" else 0], str):
                found.add(args[1] if call.func.id == "pgettext" else args[0])
            break
    return found


def test_django_admin_and_login_pages_are_dutch_throughout():
    """Django's own Dutch catalogue misses a few strings of its admin pages; Tandem's catalogue
    (tandem/common/django_words.py) supplies them. A Django upgrade that adds more fails here."""
    django_dir = Path(django.__file__).parent
    catalogue: dict[object, str] = {}
    for mo in (
        django_dir / "conf/locale/nl/LC_MESSAGES/django.mo",
        django_dir / "contrib/admin/locale/nl/LC_MESSAGES/django.mo",
        django_dir / "contrib/auth/locale/nl/LC_MESSAGES/django.mo",
        PO_PATH.with_suffix(".mo"),
    ):
        with mo.open("rb") as handle:
            catalogue.update(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]
    missing = set()
    for folder in ("contrib/admin/templates", "contrib/auth/templates/registration"):
        for template in (django_dir / folder).rglob("*.html"):
            for msgid in _template_msgids(template):
                if msgid not in catalogue and (msgid, 0) not in catalogue:
                    missing.add(f"{template.name}: {msgid}")
    assert not missing, "Add to tandem/common/django_words.py and translate:\n" + "\n".join(
        sorted(missing)
    )


# ---- a label and what is said about it -------------------------------------------------


class _ConfirmForm(forms.Form):
    confirm = forms.BooleanField(label="Ik begrijp dat dit niet ongedaan kan worden gemaakt.")
    other = forms.BooleanField(label="Is het echt iemand anders?")
    name = forms.CharField(label="Naam")


def test_the_error_summary_never_puts_a_colon_after_a_full_stop():
    form = _ConfirmForm(data={})
    assert not form.is_valid()
    html = render_to_string("includes/form_errors.html", {"form": form})
    assert ".:" not in html and "?:" not in html
    assert "gemaakt. " in html and "anders? " in html and "Naam: " in html


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Naam", "Naam:"), ("gemaakt.", "gemaakt."), ("anders?", "anders?"), ("Datum:", "Datum:")],
)
def test_lead_in(label, expected):
    rendered = Template("{% load tandem_tags %}{{ label|lead_in }}").render(
        Context({"label": label})
    )
    assert rendered == expected


# ---- pages: no stored codes, no doubled words --------------------------------------------

# A stored code in visible text: snake_case ("welfare_partner", "oost_vlaanderen").
SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
DOUBLED_WORD = re.compile(r"\b(\w{3,})\s+\1\b", re.IGNORECASE)


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # Blocks apart: a heading after a paragraph is not one sentence.
    blocks = (
        r"</?(p|h\d|div|li|td|th|dt|dd|tr|ul|ol|dl|section|table|caption|label|option|legend"
        r"|nav|header|footer|main|br|select|form|button)\b[^>]*>"
    )
    html = re.sub(blocks, " ¶ ", html)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def _titles(html: str) -> list[str]:
    return re.findall(r'title="([^"]*)"', html)


def _assert_words(html: str, page: str) -> None:
    text = _visible_text(html) + " " + " ".join(_titles(html))
    codes = SNAKE_CODE.findall(text)
    assert not codes, f"{page}: raw codes in the text: {codes}"
    doubled = [m.group(0) for m in DOUBLED_WORD.finditer(text)]
    assert not doubled, f"{page}: a word twice: {doubled}"


@pytest.mark.django_db
def test_caseload_lights_say_their_colour_in_dutch(client, mediator, person):
    from tandem.screening.selectors import current_checklist
    from tandem.screening.services import screening_conduct
    from tandem.trajectories.services import trajectory_start

    screening_conduct(
        acting_user=mediator,
        person=person,
        checklist=current_checklist(),
        present=["schulden", "slechte-woning"],
        motivation="sufficient",
        outflow_within_two_years="yes",
    )
    trajectory_start(
        acting_user=mediator, person=person, type="w2", reason="Aangemeld", status="active"
    )
    client.force_login(mediator)
    html = client.get(reverse("trajectories:caseload"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    titles = [t for t in _titles(html) if ":" in t]
    assert titles, "the caseload shows no lights"
    assert all(t.rsplit(": ", 1)[1] in {"Rood", "Oranje", "Groen"} for t in titles), titles
    _assert_words(html, "caseload")


def test_the_access_log_says_why_a_trajectory_was_read_in_words():
    rendered = Template("{% load audit_tags %}{{ p|purpose_label }}")
    stored = "trajectory d15ec066-0000-4000-8000-000000000000"
    with translation.override("nl"):
        shown = rendered.render(Context({"p": stored}))
        assert shown == "begeleiding (traject d15ec066)"
        assert rendered.render(Context({"p": "case work"})) == "begeleiding"


@pytest.mark.django_db
def test_a_prospects_languages_are_named(client):
    from tandem.outreach import services as oservices

    jes = OrganisationFactory(
        name="vzw Jes", code="jes-words", kind=OrganisationKind.OUTREACH_PARTNER
    )
    worker = make_user(Role.OUTREACH_WORKER, organisation=jes, username="outreach-words")
    place = oservices.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort", municipality="Gent"
    )
    moment = oservices.contact_log(
        acting_user=worker, place=place, nickname="Mama Y", languages=["ar", "nl"], need="werk"
    )
    client.force_login(worker)
    url = reverse("outreach:prospect_detail", args=[moment.prospect.public_id])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Arabisch, Nederlands" in html
    assert "ar, nl" not in html
    _assert_words(html, "prospect")


@pytest.mark.django_db
def test_logging_contacts_uses_real_plurals(client):
    from tandem.outreach import services as oservices

    jes = OrganisationFactory(
        name="vzw Jes", code="jes-plural", kind=OrganisationKind.OUTREACH_PARTNER
    )
    worker = make_user(Role.OUTREACH_WORKER, organisation=jes, username="outreach-plural")
    place = oservices.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort", municipality="Gent"
    )
    client.force_login(worker)
    data = {"place": place.pk, "on": dt.date.today().isoformat(), "nickname": "Mama Y"}
    for field in ("approximate_age", "need"):
        data.setdefault(field, "")
    response = client.post(
        reverse("outreach:contact_new"), data, HTTP_ACCEPT_LANGUAGE="nl", follow=True
    )
    text = _visible_text(response.content.decode())
    assert "1 contact tot nu toe" in text, text[:2000]
    assert "(en)" not in text


@pytest.mark.django_db
def test_the_administrators_home_names_roles(client):
    office = OrganisationFactory(name="VDAB Gent", code="vdab-words")
    admin = make_user(Role.ADMIN, organisation=office, username="beheerder-words")
    make_user(Role.WELFARE_PARTNER, organisation=office, username="partner-words")
    make_user(Role.MEDIATOR, organisation=office, username="mediator-words")
    client.force_login(admin)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    with translation.override("nl"):
        assert str(Role.WELFARE_PARTNER.label) in html
    _assert_words(html, "admin home")


@pytest.mark.django_db
def test_a_placed_enrolment_does_not_say_group_twice(client, mediator, person):
    """The status 'Geplaatst in een groep' was followed by 'groep vanaf …'."""
    from tandem.groupwork import services as gservices
    from tandem.groupwork.enrolment import services as enrolment_services
    from tandem.programmes.services import project_upsert
    from tandem.trajectories.services import trajectory_start

    today = dt.date.today()
    partner = OrganisationFactory(
        name="Groep Intro", code="groep-words", kind=OrganisationKind.GROUP_WORK_PARTNER
    )
    coach = make_user(Role.GROUP_COACH, organisation=partner, username="coach-words")
    project = project_upsert(
        acting_user=None,
        code="esf-words",
        name="Project",
        promoter=partner,
        start_date=today - dt.timedelta(days=365),
        end_date=today + dt.timedelta(days=365),
        budget=1000,
    )
    programme = gservices.programme_save(
        acting_user=None,
        project=project,
        name="Groepswerk",
        province="oost_vlaanderen",
        coaches=[coach],
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
        starts_on=today + dt.timedelta(days=7),
        starts_at=dt.time(9, 30),
        ends_at=dt.time(12, 0),
        place="Buurthuis",
        coach=coach,
    )
    trajectory = trajectory_start(
        acting_user=mediator, person=person, type="w2", reason="Aangemeld", status="active"
    )
    enrolment = enrolment_services.enrolment_request(
        acting_user=mediator, trajectory=trajectory, module=module, on=today
    )
    enrolment_services.enrolment_decide(acting_user=coach, enrolment=enrolment, accept=True)
    enrolment.refresh_from_db()
    assert enrolment.intake_id, "the enrolment was not placed in the group"
    client.force_login(mediator)
    for url in (
        reverse("groupwork:enrolment_detail", args=[enrolment.public_id]),
        reverse("trajectories:trajectory_detail", args=[trajectory.public_id]),
    ):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
        assert "start op" in html, url
        text = _visible_text(html)
        doubled = [m.group(0) for m in DOUBLED_WORD.finditer(text)]
        assert not doubled, f"{url}: {doubled}"
