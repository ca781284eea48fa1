import pytest
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.demo.organisations import seed_organisations
from tandem.demo.programmes import seed_calls_and_projects
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_calls_and_projects(seed_organisations())


@pytest.mark.parametrize("role", [Role.PROGRAMME_MANAGER, Role.ADMIN])
def test_programme_managers_and_admins_see_the_calls_with_their_figures(
    client, seeded, role, django_assert_max_num_queries
):
    client.force_login(make_user(role))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("programmes:call_list"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Versterking van de werk-welzijnsbemiddeling" in body
    assert "Samen naar Werk!" in body
    # Call 478: rows sum to 2,479,627, one euro short of the stated 2,479,628, said in words.
    assert "2,479,627" in body and "2,479,628" in body
    assert "1 EUR less than the call's stated total" in body
    # WIJ3's split.
    assert "4,800,000" in body and "7,200,000" in body
    # Targets with their due dates.
    assert "900" in body and "31/12/2022" in body
    assert "1 of the call's 74 projects are in Tandem." in body


def test_project_detail_shows_the_projects_figures(client, seeded):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    url = reverse("programmes:project_detail", kwargs={"code": "gent-mobiel-arbeidsteam"})
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mobiel Arbeidsteam Gent" in body
    assert "4,700,000" in body
    assert "vzw De Stap" in body
    # Within its call (source 004 §b), its target "tegen 2022" (source 002) due at its end.
    assert "01/10/2019" in body and "31/12/2021" in body


def test_an_unknown_project_is_404(client, seeded):
    client.force_login(make_user(Role.PROGRAMME_MANAGER))
    url = reverse("programmes:project_detail", kwargs={"code": "no-such-project"})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", [Role.MEDIATOR, Role.WELFARE_PARTNER, Role.GROUP_COACH])
def test_other_roles_get_403(client, seeded, role):
    client.force_login(make_user(role))
    assert client.get(reverse("programmes:call_list")).status_code == 403
    url = reverse("programmes:project_detail", kwargs={"code": "esf478-wvl"})
    assert client.get(url).status_code == 403


def test_anonymous_users_are_sent_to_login(client, seeded):
    response = client.get(reverse("programmes:call_list"))
    assert response.status_code == 302
