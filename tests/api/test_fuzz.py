"""The API fuzzed against its own OpenAPI schema (issue 19): schemathesis generates requests for
every operation of ``/api/schema/`` — valid and invalid parameters and bodies — and runs all its
checks on each answer: no server error, status codes, content types, headers and bodies as the
schema says, invalid data refused, and no answer that ignores authentication (it re-sends
without the token and expects 401).

Requests go to the WSGI application in-process, in the test's database (the home world of the
authorization matrix): every other example uses a real id (``fuzz_config.KNOWN_IDS``) with the
resource's current ETag, so the state transitions are fuzzed on a real referral too.

``make test`` runs ``TANDEM_FUZZ_EXAMPLES`` (default 10) examples per operation, derandomized:
the same examples on every run and every machine, so a failure in CI is a failure on a laptop.
``make fuzz`` runs many more (200) with a random seed (``TANDEM_FUZZ_RANDOM=1``), printed at the
start and with every failure; ``TANDEM_FUZZ_SEED=<n>`` replays a seed. A failure prints the
operation and the command that reproduces it. The figures (operations, examples, failures) are
printed at the end.
"""

from __future__ import annotations

import os
import random
import sys
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, connection
from hypothesis import HealthCheck, seed, settings
from rest_framework.test import APIClient

from config.wsgi import application
from tandem.api.scopes import Scope
from tandem.api.services import api_client_register, api_token_issue
from tests.authz_world import build_world

from .fuzz_config import CLIENT_SETUP, ETAG_URLS, KNOWN_IDS, TAG_CLIENTS

EXAMPLES = int(os.environ.get("TANDEM_FUZZ_EXAMPLES", "10"))
FIGURES: Counter[str] = Counter()
OPERATIONS: set[str] = set()
# Which positive example of an operation uses the real ids: counted per operation, so one
# operation run alone (``-k``) gets the same examples as in the whole run.
_ALTERNATE: Counter[str] = Counter()


def _seed_from_environment() -> int | None:
    """``None`` (derandomized: ``make test``), or the seed of a random run: the one given in
    ``TANDEM_FUZZ_SEED`` (a replay), else a new one when ``TANDEM_FUZZ_RANDOM`` is set
    (``make fuzz``)."""
    given = os.environ.get("TANDEM_FUZZ_SEED", "").strip()
    if given:
        return int(given)
    if os.environ.get("TANDEM_FUZZ_RANDOM", "").strip() not in ("", "0"):
        return random.SystemRandom().randrange(2**32)
    return None


SEED = _seed_from_environment()
if SEED is not None:
    print(
        f"\nschemathesis: random run, seed {SEED} (replay: TANDEM_FUZZ_SEED={SEED})",
        file=sys.stderr,
    )


def _seeded(test):
    """The run's hypothesis settings: derandomized unless a seed was chosen or given."""
    return seed(SEED)(test) if SEED is not None else test


def reproduction(label: str) -> str:
    """The command that runs one operation again with the same examples."""
    env = f"TANDEM_FUZZ_SEED={SEED} " if SEED is not None else ""
    return (
        f"{env}TANDEM_FUZZ_EXAMPLES={EXAMPLES} .venv/bin/pytest -q -s -p no:cacheprovider "
        f"tests/api/test_fuzz.py::test_api_fuzz -k {_k_expression(label)!r}"
    )


def _k_expression(label: str) -> str:
    """A ``-k`` expression that selects the parametrized test of one operation ("POST
    /api/v1/referrals/{referral_id}/accept/"): pytest's ids are the label itself, which ``-k``
    cannot take whole; the path's words joined with ``and`` select it."""
    method, _, path = label.partition(" ")
    words = [w for w in path.replace("{", "/").replace("}", "/").split("/") if w]
    return " and ".join([method, *words])


# Loaded when the module is collected: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
PLACEHOLDER = "Bearer @token@"


@schema.auth(refresh_interval=None, retry_on=[])
class FuzzAuth:
    """Where schemathesis sends the token, a placeholder that the test replaces with the token
    of the operation's client (the tokens exist only once the test's database does); where it
    tests the answer to a missing or broken token, it leaves the placeholder out itself."""

    def get(self, case, ctx):
        return PLACEHOLDER

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": data}


def _keep_the_test_connection() -> None:
    """schemathesis calls the WSGI application itself, whose request signals would close the
    database connection (and with it the test's transaction, on PostgreSQL). Django's test
    client disconnects them around each of its own requests and connects them again after, so
    this runs before every call."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)


@pytest.fixture
def _signals_restored():
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(db, _signals_restored):
    cache.clear()
    # The test database, never the demo's file (a subtest that lost its django_db mark would).
    name = str(connection.settings_dict["NAME"])
    assert "memory" in name or "test" in name, name
    world = build_world("fuzz", "Fuzzenbergh")
    tokens = {}
    for tag, (owner, role) in TAG_CLIENTS.items():
        client = api_client_register(
            acting_user=None,
            organisation=owner(world),
            name=f"Fuzz {tag}",
            purpose="fuzz test",
            scopes=list(Scope.values),
            role=role,
            requests_per_minute=1_000_000,
        )
        tokens[tag] = api_token_issue(acting_user=None, client=client)[1]
    for tag in tokens:
        if tag in CLIENT_SETUP:
            CLIENT_SETUP[tag](world)
    return world, tokens


def _etag(url: str, token: str) -> str | None:
    response = APIClient().get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.get("ETag") if response.status_code == 200 else None


@pytest.mark.django_db
@schema.parametrize()
@_seeded
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=SEED is None,
    print_blob=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_fuzz(case, db, fuzz_world):
    world, tokens = fuzz_world
    operation = case.operation
    tag = (operation.tags or ["-"])[0]
    assert tag in tokens, f"{operation.label}: add its tag {tag!r} to fuzz_config.TAG_CLIENTS"
    token = tokens[tag]
    positive = getattr(getattr(case.meta, "generation", None), "mode", None) == "positive"
    _ALTERNATE[operation.label] += 1
    if positive and _ALTERNATE[operation.label] % 2 == 1:
        for name in list(case.path_parameters or {}):
            if name in KNOWN_IDS:
                value = KNOWN_IDS[name](world)
                case.path_parameters[name] = str(value)
                if case.headers is not None and "If-Match" in case.headers and name in ETAG_URLS:
                    etag = _etag(ETAG_URLS[name](value), token)
                    if etag:
                        case.headers["If-Match"] = etag
    if (case.headers or {}).get("Authorization") == PLACEHOLDER:
        case.headers["Authorization"] = f"Bearer {token}"
    OPERATIONS.add(operation.label)
    FIGURES["examples"] += 1
    try:
        _keep_the_test_connection()
        response = case.call_and_validate()
    except Exception:
        FIGURES["failures"] += 1
        print(
            f"\nschemathesis failure: {operation.label} "
            f"({'seed ' + str(SEED) if SEED is not None else 'derandomized'}); "
            f"reproduce: {reproduction(operation.label)}",
            file=sys.stderr,
        )
        raise
    FIGURES[f"status {response.status_code}"] += 1
    if response.status_code == 401 and positive:
        FIGURES["401 with a valid token"] += 1


def test_fuzz_figures():
    """Print the figures of the run above (with -s); the run above must have happened."""
    print(
        f"\nschemathesis: {len(OPERATIONS)} operations, {FIGURES['examples']} examples, "
        f"{FIGURES['failures']} failures; "
        + ", ".join(
            f"{k}: {v}" for k, v in sorted(FIGURES.items()) if k.startswith(("status", "401"))
        )
    )
    if FIGURES["examples"]:
        assert not any(k.startswith("status 5") for k in FIGURES)
        assert not FIGURES["401 with a valid token"]


def test_api_stateful(fuzz_world, monkeypatch):
    """Scenarios along the schema's OpenAPI links (``tandem.api.schema.link``): the inbox gives
    a referral's id, its detail the ETag an answer needs, the answer the next detail — all
    checks on every step, in the same database as a partner's system would walk it."""
    _world, tokens = fuzz_world

    class Workflow(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case):
            tag = (case.operation.tags or ["-"])[0]
            if (case.headers or {}).get("Authorization") == PLACEHOLDER and tag in tokens:
                case.headers["Authorization"] = f"Bearer {tokens[tag]}"
            _keep_the_test_connection()

        def after_call(self, response, case):
            super().after_call(response, case)
            FIGURES["stateful steps"] += 1
            FIGURES[f"stateful {case.operation.label}"] += 1

    if SEED is not None:
        # What ``pytest --hypothesis-seed`` does: a state machine takes no ``@seed``.
        import hypothesis.core

        monkeypatch.setattr(hypothesis.core, "global_force_seed", SEED)
    Workflow.run(
        settings=settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=SEED is None,
            print_blob=True,
            suppress_health_check=list(HealthCheck),
            stateful_step_count=6,
        )
    )
    print(
        "\nstateful: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(FIGURES.items()) if k.startswith("stateful"))
    )
    # The links were followed: some answer was given through them.
    assert FIGURES["stateful steps"]


def test_the_group_work_client_coaches_before_the_run(fuzz_world):
    """The group-work lists are fuzzed as a coach of the programme (``CLIENT_SETUP``), not as
    a stranger to it whose lists are empty."""
    _world, tokens = fuzz_world
    _keep_the_test_connection()
    response = APIClient().get(
        "/api/v1/groupwork/intakes/", HTTP_AUTHORIZATION=f"Bearer {tokens['groupwork']}"
    )
    assert response.status_code == 200, response.content
    assert response.json()["results"], "the group-work client sees no intake moment"
