"""One date and number format on every page (issue 14): 07/12/2026 and 1.801,90 in Dutch."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import formats, translation

TEMPLATES = Path(settings.LOCALE_PATHS[0]).parent / "templates"
DAY = dt.date(2026, 12, 7)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_short_date_is_day_month_year_with_two_digits(language):
    with translation.override(language):
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "07/12/2026"
        assert Template('{{ d|date:"SHORT_DATE_FORMAT" }}').render(Context({"d": DAY})) == (
            "07/12/2026"
        )


def test_dutch_numbers_have_a_decimal_comma_and_grouped_thousands():
    with translation.override("nl"):
        assert formats.number_format(Decimal("1801.90"), 2, use_l10n=True, force_grouping=True) == (
            "1.801,90"
        )


@pytest.mark.parametrize("value", [Decimal("1801.90"), "1801.90", 1801.9])
def test_an_amount_reads_the_same_from_a_number_or_a_snapshot(value):
    template = Template("{% load tandem_tags %}{{ v|amount }}")
    with translation.override("nl"):
        assert template.render(Context({"v": value})) == "1.801,90"
    with translation.override("en"):
        assert template.render(Context({"v": value})) == "1,801.90"
    assert template.render(Context({"v": None})) == ""


def test_the_referral_snapshot_shows_income_like_the_person_file():
    view = {
        "person": {"first_name": "Y", "last_name": "A", "languages": ["ar", "nl"]},
        "domains": ["income"],
        "shared": {
            "household": {
                "members": [],
                "income": [{"kind": "wage", "member": "", "monthly_amount": "1801.90"}],
            }
        },
    }
    with translation.override("nl"):
        html = render_to_string("network/referrals/includes/shared_data.html", {"view": view})
    assert "1.801,90" in html and "1801.90" not in html
    assert "Arabisch, Nederlands" in html


# A date written with a format of its own: j or n (no leading zero) or a dash between day and
# month gives "7-12-2026" beside "07/12/2026" elsewhere.
UNPADDED = re.compile(r'\|date:"([^"]*)"')


def test_templates_write_dates_one_way():
    odd = []
    for path in TEMPLATES.rglob("*.html"):
        for fmt in UNPADDED.findall(path.read_text(encoding="utf-8")):
            if fmt.isupper() and fmt.endswith("FORMAT"):
                continue  # a named format: set once in tandem/common/formats
            if re.search(r"(?<!\\)[jn]|d-m|m-d", fmt):
                odd.append(f"{path.relative_to(TEMPLATES)}: {fmt}")
    assert not odd, "\n".join(odd)


@pytest.mark.django_db
def test_outreach_dates_read_like_the_rest(client):
    from django.urls import reverse

    from tandem.accounts.models import OrganisationKind, Role
    from tandem.outreach import services
    from tests.factories import OrganisationFactory, make_user

    jes = OrganisationFactory(
        name="vzw Jes", code="jes-fmt", kind=OrganisationKind.OUTREACH_PARTNER
    )
    worker = make_user(Role.OUTREACH_WORKER, organisation=jes, username="outreach-fmt")
    place = services.place_save(
        acting_user=worker, kind="school_gate", name="Schoolpoort", municipality="Gent"
    )
    moment = services.contact_log(
        acting_user=worker, place=place, on=dt.date(2026, 3, 7), nickname="Mama Y", need="werk"
    )
    client.force_login(worker)
    url = reverse("outreach:prospect_detail", args=[moment.prospect.public_id])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "07/03/2026" in html and "7-3-2026" not in html
