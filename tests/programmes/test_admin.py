import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.programmes.models import Call
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = make_user(Role.ADMIN)
    # Until accounts.services.ADMIN_MODELS lists the call models, grant them here.
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="programmes", codename__endswith="call")
    )
    client.force_login(user)
    return client


def _data(**kwargs):
    data = {
        "code": "oproep-x",
        "number": "999",
        "title": "Oproep X",
        "start_date": "2020-01-01",
        "end_date": "2020-12-31",
        "total_budget": "1000",
        "esf_share_percent": "40",
        "cofinancing_percent": "60",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
    }
    data.update(kwargs)
    return data


def test_the_admin_refuses_shares_that_do_not_add_up_naming_the_field(admin_client):
    response = admin_client.post(
        reverse("admin:programmes_call_add"),
        _data(cofinancing_percent="50"),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "add up to 90" in response.content.decode()
    assert not Call.objects.exists()


def test_the_admin_saves_a_call_and_audits_it(admin_client):
    response = admin_client.post(reverse("admin:programmes_call_add"), _data())
    assert response.status_code == 302
    assert Call.objects.get(code="oproep-x").cofinancing_percent == 60
    assert AuditEvent.objects.filter(event_type="call.created.admin").exists()
