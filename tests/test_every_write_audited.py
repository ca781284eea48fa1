"""Every write is audited (issue 16): a function of Tandem that changes the database records an
audit event, directly or through a service that does.

Checked by reading the source (``ast``) of every module under ``tandem/`` (migrations aside):

- **A write** is a call of ``.save(`` (with keywords only: ``workbook.save(buffer)`` writes a
  file), ``.delete(``, ``.create(``, ``.bulk_create(``,
  ``.bulk_update(``, ``.get_or_create(``, ``.update_or_create(``; ``.update(`` on a queryset
  (a chain with ``.objects`` or ``.filter(`` …, or a name bound to one); ``.add(`` / ``.set(`` /
  ``.remove(`` / ``.clear(`` on a model's related manager (the names are read from the models);
  raw SQL (``.execute(``); and ``transition(`` (a state machine's move, which saves).
- **An audit** is a call of ``audit_event_record``, a ``transition(…, audit=Event.…)`` (which
  records the event itself), a row written straight into ``AuditEvent``, or a call of another
  function of the project that audits (followed through every module, to any depth).
- A public function (or public method) that writes — itself or through the helpers of its own
  module it calls, to any depth — must audit. A private helper (``_name``) is checked through
  the public functions that call it.

The exceptions are listed with their reason: whole modules in ``EXEMPT_MODULES``, single
functions in ``ALLOWED``. Both lists only shrink: an entry that no longer matches a module, or a
function that no longer writes without an audit, fails the test. Writes through the Django admin
are audited by the admin site itself (``tandem.accounts.admin_site``; see
``tests/accounts/test_admin_audit.py``).

``python -m tests.test_every_write_audited`` prints the unaudited writes of the tree as it
stands.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tandem"

WRITE_METHODS = {
    "save",
    "delete",
    "create",
    "bulk_create",
    "bulk_update",
    "get_or_create",
    "update_or_create",
}
# Writes on a related manager (``programme.coaches.set(…)``); ``dict.update`` and ``set.add``
# are not writes, so these count only on a related manager's name.
RELATED_MANAGER_WRITES = {"add", "set", "remove", "clear"}
# What makes an expression a queryset: ``X.objects…``, ``….filter(…)`` and friends.
QUERYSET_MARKS = {"objects", "filter", "exclude", "all", "select_for_update", "order_by", "none"}
# ORM methods a class may override (a model's ``save``): the callers of the ORM are checked.
ORM_OVERRIDES = WRITE_METHODS | {"save_model", "delete_model", "save_formset", "save_related"}

# Whole modules that write without an audit event of their own, module prefix -> why.
EXEMPT_MODULES: dict[str, str] = {
    "tandem.audit": (
        "the audit trail itself (audit_event_record, the bulk writer) and the access log's "
        "pseudonymisation, which only the retention run calls (audited retention.applied)"
    ),
    "tandem.privacy.sections": (
        "the access log's retention step (pseudonymisation): it runs only inside "
        "privacy.erasure.person_erase and privacy.retention.retention_apply, which record "
        "person.erased per person and retention.applied for the run"
    ),
    "tandem.demo": (
        "the demo's seed data (make demo), never run on real data; the demo's case content "
        "goes through the services and is audited in bulk (audit_events_in_bulk)"
    ),
}
for _app in (
    "registry",
    "screening",
    "trajectories",
    "network",
    "groupwork",
    "outcomes",
    "notifications",
):
    EXEMPT_MODULES[f"tandem.{_app}.privacy"] = (
        "retention and erasure steps (tandem.common.privacy_hooks): they run only inside "
        "privacy.erasure.person_erase and privacy.retention.retention_apply, which record "
        "person.erased per person and retention.applied for the run"
    )

# Single functions that write without an audit event, "module.function" -> why.
ALLOWED: dict[str, str] = {
    "tandem.api.services.api_request_record": "the API's request log: the record of calls, a log",
    "tandem.api.services.api_requests_expire": (
        "the request log's retention (clears old rows' IP address): it runs only inside "
        "privacy.retention.retention_apply, which records retention.applied with its count"
    ),
    "tandem.api.services.api_token_authenticate": (
        "notes a token's last use (at most once a minute): bookkeeping of the request log"
    ),
    "tandem.access.log.log_person_shown": "the access log: the record of reads, itself a log",
    "tandem.access.log.log_persons_shown": "the access log: the record of reads, itself a log",
    "tandem.access.log.stream_logged": (
        "the access log of a streamed export: the record of reads, itself a log"
    ),
    "tandem.access.log.open_person": "writes only its access-log row (log_person_shown)",
    "tandem.access.log.open_person_for_edit": "writes only its access-log row",
    "tandem.access.log.open_person_if_visible": "writes only its access-log row",
    "tandem.access.log.open_trajectory": "writes only its access-log row",
    "tandem.privacy.management.commands.db_roles.Command.handle": (
        "the operator's set-up of the database roles (GRANT/REVOKE, and the access log's "
        "retention period for the database's cut-off), run as the owner of the tables"
    ),
    "tandem.common.privacy_hooks.delete_rows": (
        "the delete helper of the retention and erasure steps (see EXEMPT_MODULES)"
    ),
    "tandem.accounts.services.administrators_group": (
        "brings the admin role's permission group in line with the code (ADMIN_MODELS); "
        "called when an administrator is created, which records user.created"
    ),
    "tandem.accounts.notices.notices_show": (
        "marks the user's own notice as shown once; what the notice tells (an administrator's "
        "device reset) recorded user.devices_reset"
    ),
    "tandem.accounts.twofactor.pending_device": (
        "an unconfirmed device whose secret the user is shown while setting up their app; "
        "it logs nobody in, and confirming it records user.otp_device_confirmed"
    ),
    "tandem.outcomes.services.refresh_outcomes": (
        "rebuilds the derived outcome table (issue 20) from trajectories, readings and status "
        "events whose writes were audited by its callers (the imports, the trajectory and "
        "person services through outcomes.signals, retention) or by refresh_outcomes' command"
    ),
    "tandem.registry.services.persons_bulk_create": (
        "the bulk write of an import: its only caller, outcomes.importing.trajectories, "
        "records outcomes.trajectories_imported for the run"
    ),
    "tandem.network.directory.services.life_domain_terms_ensure": (
        "reference data with fixed ids (the life domains as an HSDS taxonomy), made once "
        "by the audited directory writes that need it"
    ),
    "tandem.screening.defaults.load_default_checklist": (
        "reference data loaded by a data migration (the first signal checklist)"
    ),
    "tandem.screening.defaults.load_official_thresholds": (
        "reference data loaded by a data migration (Statbel's published thresholds)"
    ),
    "tandem.trajectories.defaults.load_default_scale": (
        "reference data loaded by a data migration (the self-reliance scale)"
    ),
    # Notifications (issue 18): derived from an event its caller has just audited.
    "tandem.notifications.services.notify": (
        "a notification is derived from an event the calling service has just audited "
        "(referral answered, enrolment decided, …); it records no event of its own"
    ),
    "tandem.notifications.services.notification_mark_read": (
        "the recipient's own inbox state (read or not), no case data"
    ),
    "tandem.notifications.services.notification_mark_all_read": (
        "the recipient's own inbox state (read or not), no case data"
    ),
    "tandem.notifications.services.notification_digest_set": (
        "the user's own choice of a daily e-mail digest, no case data"
    ),
    "tandem.notifications.digest.digests_send": (
        "records the day each user's digest was sent (counts and a link, no person data), "
        "so that a second run the same day sends nothing"
    ),
}


@dataclass
class Facts:
    """What one function does, read from its source."""

    module: str
    name: str  # "function" or "Class.method"
    writes: list[str] = field(default_factory=list)  # "line: .save(" …
    audits: bool = False
    calls: set[str] = field(default_factory=set)  # qualified names of project functions

    @property
    def public(self) -> bool:
        return not any(part.startswith("_") for part in self.name.split("."))


def _plain(module: str) -> str:
    return module[: -len(".__init__")] if module.endswith(".__init__") else module


def project_sources(root: Path = ROOT) -> dict[str, str]:
    """Module name -> source for every module of the project (migrations aside); a package's
    ``__init__`` is named ``<package>.__init__``."""
    sources = {}
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        sources[name] = path.read_text(encoding="utf-8")
    return sources


def _names(module: str, tree: ast.Module) -> dict[str, str]:
    """Local name -> qualified name: the module's own functions and classes, and what it
    imports."""
    me = _plain(module)
    package = me if module.endswith(".__init__") else me.rsplit(".", 1)[0]
    names: dict[str, str] = {}
    for top in tree.body:
        if isinstance(top, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names[top.name] = f"{me}.{top.name}"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")
                up = up[: len(up) - (node.level - 1)]
                base = ".".join(up + ([base] if base else []))
            for alias in node.names:
                names[alias.asname or alias.name] = f"{base}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
    return names


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node


def _chain(node: ast.expr) -> set[str]:
    """The attribute and call names along a receiver (``X.objects.filter(…)`` → objects,
    filter)."""
    found = set()
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            found.add(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    return found


def _is_queryset(node: ast.expr, querysets: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return node.id in querysets
    return bool(_chain(node) & QUERYSET_MARKS) or (
        isinstance(_root(node), ast.Name) and _root(node).id in querysets  # type: ignore[attr-defined]
    )


def _facts_of(
    module: str,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    qualname: str,
    names: Mapping[str, str],
    related: set[str],
    cls: str | None,
) -> Facts:
    facts = Facts(module=_plain(module), name=qualname)
    querysets = {
        arg.arg
        for arg in function.args.args + function.args.kwonlyargs
        if arg.annotation is not None and "QuerySet" in ast.unparse(arg.annotation)
    }
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and _is_queryset(node.value, querysets):
            querysets |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        func, line = node.func, node.lineno
        if isinstance(func, ast.Name):
            if func.id == "audit_event_record":
                facts.audits = True
            elif func.id == "transition":
                facts.writes.append(f"{line}: transition(")
                audit = next((k.value for k in node.keywords if k.arg == "audit"), None)
                if audit is not None and not (
                    isinstance(audit, ast.Constant) and audit.value is None
                ):
                    facts.audits = True
            elif func.id in names:
                facts.calls.add(names[func.id])
            continue
        if not isinstance(func, ast.Attribute):
            continue
        method, receiver = func.attr, func.value
        root = _root(receiver)
        if method == "audit_event_record":
            facts.audits = True
        elif isinstance(root, ast.Name) and root.id == "AuditEvent":
            facts.audits = facts.audits or method in WRITE_METHODS
        elif method == "save" and node.args:
            pass  # a file's save (``workbook.save(buffer)``): a model's save takes keywords
        elif method in WRITE_METHODS:
            facts.writes.append(f"{line}: .{method}(")
        elif method == "update" and _is_queryset(receiver, querysets):
            facts.writes.append(f"{line}: .update(")
        elif (
            method in RELATED_MANAGER_WRITES
            and isinstance(receiver, ast.Attribute)
            and receiver.attr in related
        ):
            facts.writes.append(f"{line}: .{receiver.attr}.{method}(")
        elif method == "execute":
            facts.writes.append(f"{line}: .execute(")
        elif isinstance(receiver, ast.Name):
            if receiver.id == "self" and cls:
                facts.calls.add(f"{_plain(module)}.{cls}.{method}")
            elif receiver.id in names:
                facts.calls.add(f"{names[receiver.id]}.{method}")
    return facts


def read_facts(sources: Mapping[str, str], related: set[str]) -> dict[str, Facts]:
    """Qualified name -> facts, for every function and method of the modules given."""
    found: dict[str, Facts] = {}
    for module, source in sources.items():
        tree = ast.parse(source)
        names = _names(module, tree)
        me = _plain(module)
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                found[f"{me}.{node.name}"] = _facts_of(
                    module, node, node.name, names, related, None
                )
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        if item.name in ORM_OVERRIDES:
                            continue  # an override of the ORM's write: its callers are checked
                        qualname = f"{node.name}.{item.name}"
                        found[f"{me}.{qualname}"] = _facts_of(
                            module, item, qualname, names, related, node.name
                        )
    return found


def _closure(facts: Mapping[str, Facts]) -> tuple[set[str], set[str]]:
    """The functions that write (themselves or through a helper of their own module) and
    those that audit (themselves or through any function of the project), to any depth."""
    writing = {q for q, f in facts.items() if f.writes}
    auditing = {q for q, f in facts.items() if f.audits}
    changed = True
    while changed:
        changed = False
        for q, f in facts.items():
            if q not in auditing and f.calls & auditing:
                auditing.add(q)
                changed = True
            if q not in writing and any(
                c in writing and facts[c].module == f.module for c in f.calls if c in facts
            ):
                writing.add(q)
                changed = True
    return writing, auditing


def _exempt(module: str, exempt_modules: Iterable[str]) -> bool:
    return any(module == m or module.startswith(m + ".") for m in exempt_modules)


def unaudited(
    sources: Mapping[str, str],
    related: set[str],
    allowed: Mapping[str, str] = ALLOWED,
    exempt_modules: Iterable[str] = EXEMPT_MODULES,
) -> list[str]:
    """Every public function that writes without an audit event, with its writes."""
    facts = read_facts(sources, related)
    writing, auditing = _closure(facts)
    exempt = list(exempt_modules)
    return sorted(
        f"{q}: {', '.join(facts[q].writes) or 'through a helper of its module'}"
        for q in writing - auditing
        if facts[q].public and q not in allowed and not _exempt(facts[q].module, exempt)
    )


def stale_entries(
    sources: Mapping[str, str],
    related: set[str],
    allowed: Mapping[str, str] = ALLOWED,
    exempt_modules: Iterable[str] = EXEMPT_MODULES,
) -> list[str]:
    """Allowlist entries that no longer name an unaudited write, exemptions that name no
    module."""
    facts = read_facts(sources, related)
    writing, auditing = _closure(facts)
    modules = {_plain(m) for m in sources}
    stale = [q for q in allowed if q not in writing - auditing]
    stale += [m for m in exempt_modules if not any(_exempt(x, [m]) for x in modules)]
    return sorted(stale)


def related_manager_names() -> set[str]:
    """The names of every related manager of the project's models (``coaches``,
    ``permissions``, ``groups``, ``household_members``, ``…_set``)."""
    from django.apps import apps

    names = set()
    for model in apps.get_models():
        for f in model._meta.get_fields(include_hidden=False):
            if f.many_to_many or f.one_to_many:
                accessor = f.get_accessor_name() if f.auto_created else f.name  # type: ignore[union-attr]
                if accessor:
                    names.add(accessor)
    return names


# --- the checks ---------------------------------------------------------------------------


def test_every_public_write_records_an_audit_event():
    assert unaudited(project_sources(), related_manager_names()) == []


def test_the_exceptions_are_current():
    assert stale_entries(project_sources(), related_manager_names()) == []


# --- the checker itself can fail ----------------------------------------------------------

SYNTHETIC = {
    "tandem.groupwork.enrolment.services": """
from tandem.audit.services import audit_event_record
from tandem.common.transitions import transition
from tandem.registry import services as registry_services

def audit(user, thing):
    audit_event_record(actor=user, event_type=Event.X)

def session_update(*, acting_user, session):
    session.full_clean()
    session.save()
    return session

def session_update_audited(*, acting_user, session):
    session.save()
    audit(acting_user, session)

def _helper(thing):
    Thing.objects.filter(pk=thing.pk).update(done=True)

def through_helper(*, acting_user, thing):
    _helper(thing)

def through_helper_audited(*, acting_user, thing):
    _helper(thing)
    audit(acting_user, thing)

def moved(*, acting_user, thing):
    transition(MACHINE, thing, "done", by=acting_user, history=H, history_fields={})

def moved_audited(*, acting_user, thing):
    transition(MACHINE, thing, "done", by=acting_user, history=H, history_fields={},
               audit=Event.DONE)

def calls_another_service(*, acting_user, person):
    person.save()
    registry_services.person_update(acting_user=acting_user, person=person, data={})

def coaches(*, acting_user, programme, users):
    programme.coaches.set(users)

def name_bound_queryset(*, acting_user):
    rows = Thing.objects.filter(done=False)
    rows.update(done=True)

def not_writes(data, seen):
    data.update({"a": 1})
    seen.add(2)
    data.coaches_dict.update({})
    return data

class Command:
    def handle(self):
        self._write()

    def _write(self):
        Thing.objects.create()

class Thing:
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
""",
    "tandem.registry.services": """
from tandem.audit.services import audit_event_record

def person_update(*, acting_user, person, data):
    person.save()
    audit_event_record(actor=acting_user, event_type=Event.PERSON_UPDATED)
""",
}


def test_the_checker_catches_each_kind_of_unaudited_write():
    found = unaudited(SYNTHETIC, {"coaches"}, allowed={}, exempt_modules=[])
    names = [line.split(":")[0].rsplit(".", 1)[-1] for line in found]
    assert names == [
        "handle",  # Command.handle, through self._write
        "coaches",
        "moved",
        "name_bound_queryset",
        "session_update",
        "through_helper",
    ]
    assert "tandem.groupwork.enrolment.services.session_update: 11: .save(" in found


def test_the_exceptions_can_go_stale():
    allowed = {"tandem.registry.services.person_update": "audited now"}
    assert stale_entries(SYNTHETIC, set(), allowed=allowed, exempt_modules=["tandem.gone"]) == [
        "tandem.gone",
        "tandem.registry.services.person_update",
    ]


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    for line in unaudited(project_sources(), related_manager_names()):
        print(line)
    for line in stale_entries(project_sources(), related_manager_names()):
        print("stale:", line)
