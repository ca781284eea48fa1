import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import Organisation, Role, User
from tandem.programmes.models import Project
from tandem.registry.models import Person
from tandem.registry.selectors import person_queryset_for

pytestmark = pytest.mark.django_db


def _snapshot():
    # An erased person (the data-subject-request demo) has no INSZ left: sorted as "".
    return sorted(
        Person.objects.values_list("insz", "first_name", "last_name", "birth_date", "municipality"),
        key=lambda row: tuple("" if value is None else str(value) for value in row),
    )


def test_seed_is_deterministic_idempotent_and_tells_the_logins(capsys):
    call_command("seed_demo", "--seed", "7", "--persons", "40")
    first = _snapshot()
    out = capsys.readouterr().out
    # 40 registered people, plus those the legacy import of 2018–2019 brings (outcomes demo)
    # and the person the DPO demo registers and erases on request (no name left).
    registered = Person.objects.filter(imported_trajectories__isnull=True)
    assert registered.exclude(first_name="").count() == 40
    assert registered.filter(first_name="").count() == 1
    assert len(first) > 40
    for role in Role.values:
        assert f"demo_{role}" in out
        user = User.objects.get(username=f"demo_{role}")
        assert user.check_password("tandem-demo-2026")
        assert user.role_codes == {role}
    # Same seed, same people: a second run finds every one of them already there.
    call_command("seed_demo", "--seed", "7", "--persons", "40")
    assert _snapshot() == first
    assert "(0 new)" in capsys.readouterr().out


def test_seed_contains_the_sources_organisations_and_projects():
    call_command("seed_demo", "--persons", "0")
    codes = set(Organisation.objects.values_list("code", flat=True))
    assert {
        "vdab",
        "groep-intro",
        "randstad",
        "in-z",
        "stad-gent",
        "vzw-jes",
        "caw-oost-vlaanderen",
        "justitiehuis-gent",
        "svk-gent",
    } <= codes
    for city in ("antwerpen", "hasselt", "gent", "leuven", "brugge"):
        assert Organisation.objects.get(code=f"vdab-{city}").parent.code == "vdab"
        assert f"ocmw-{city}" in codes
    call_478 = Project.objects.filter(code__startswith="esf478-")
    # The rows of the source's table (000) sum to 2,479,627; its TOTAAL line says 2,479,628.
    # The rows are seeded as printed, so the one-euro difference stays visible.
    assert sum(p.budget for p in call_478) == 2_479_627
    assert call_478.get(province="antwerpen").budget == 482_244
    assert call_478.count() == 5
    assert Project.objects.get(code="gent-mobiel-arbeidsteam").partners.count() == 9


def test_demo_logins_see_people_of_their_own_organisation_only():
    call_command("seed_demo", "--persons", "60")
    mediator = User.objects.get(username="demo_mediator")
    visible = person_queryset_for(mediator)
    assert visible.exists()
    # Their own office's people, and people of Ghent partners and of the service line that
    # were referred to them or they lead a trajectory for; and the person of VDAB Antwerpen
    # whom the OCMW Antwerpen partner referred to VDAB Gent on moving to Ghent (issue 18: a
    # referral addressed to the office lands in its intake queue).
    assert set(visible.values_list("organisation__code", flat=True)) <= {
        "vdab-gent",
        "vzw-jes",
        "ocmw-gent",
        "vdab",
        "vdab-antwerpen",
    }
    moved = visible.filter(organisation__code="vdab-antwerpen")
    assert not moved.exclude(intakes__source="referral", intakes__office__code="vdab-gent").exists()
    assert not person_queryset_for(User.objects.get(username="demo_programme_manager")).exists()


def test_seed_refuses_production_settings(settings):
    settings.TANDEM_ENVIRONMENT = "production"
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--persons", "1")
