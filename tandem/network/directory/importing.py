"""The HSDS import: an HSDS tabular data package into Tandem's services directory, all or
nothing (``directory_import``; the ``hsds_import`` command runs it).

The package is read and checked first (``hsds.read_package``, ``hsds.check_package``): one
problem and nothing is written. Rows are matched on their HSDS id, so importing the same
package again creates nothing and changes nothing. Every import leaves the audit event
``directory.imported`` (and ``organisation.created`` for each new organisation).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from tandem.accounts.models import Organisation, OrganisationKind, User
from tandem.audit.events import Event
from tandem.audit.services import audit_event_record

from ..models import Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from . import hsds


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    counts: dict[str, Counts] = field(default_factory=dict)
    warnings: list[hsds.Problem] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # files Tandem does not import

    def count(self, kind: str) -> Counts:
        return self.counts.setdefault(kind, Counts())


IMPORT_KINDS = (
    "organisations",
    "taxonomies",
    "taxonomy terms",
    "locations",
    "services",
    "services at locations",
)


@transaction.atomic
def directory_import(
    *, acting_user: User | None, directory: Path, dry_run: bool = False
) -> ImportResult:
    """Import an HSDS tabular data package: all or nothing.

    Every row is checked first (``hsds.read_package`` and ``hsds.check_package``); one problem
    and nothing is written (``hsds.HsdsPackageError`` lists them all). Rows are matched on
    their HSDS id (an organisation on ``hsds_id``), so importing the same package again
    creates nothing and changes nothing. ``dry_run`` checks and counts, then rolls back.
    """
    package = hsds.read_package(directory)
    plan = hsds.check_package(package)
    result = ImportResult(
        counts={kind: Counts() for kind in IMPORT_KINDS},
        warnings=plan.warnings,
        ignored=package.ignored,
    )
    organisations = _import_organisations(plan, result.count("organisations"))
    _upsert(Taxonomy, plan.taxonomies, result.count("taxonomies"))
    _upsert(TaxonomyTerm, _parents_first(plan.terms), result.count("taxonomy terms"))
    for item in [*plan.locations, *plan.services]:
        hsds_id = item.fields.pop("organisation_hsds_id")
        item.fields["organisation_id"] = _organisation_pk(hsds_id, organisations)
    _upsert(Location, plan.locations, result.count("locations"))
    _upsert(Location, plan.addresses, result.count("locations"), create=False)
    outcome = _upsert(Service, plan.services, result.count("services"))
    _upsert(ServiceAtLocation, plan.service_at_locations, result.count("services at locations"))
    _import_service_terms(plan, outcome, result.count("services"))
    audit_event_record(
        actor=acting_user,
        event_type=Event.DIRECTORY_IMPORTED,
        data={
            "package": directory.name,
            "dry_run": dry_run,
            "counts": {k: vars(c) for k, c in result.counts.items()},
        },
    )
    if dry_run:
        transaction.set_rollback(True)
    return result


def _organisation_pk(hsds_id: uuid.UUID | None, cache: dict[uuid.UUID, Organisation]) -> int | None:
    if hsds_id is None:
        return None
    if hsds_id not in cache:
        cache[hsds_id] = Organisation.objects.get(hsds_id=hsds_id)
    return cache[hsds_id].pk


def _import_organisations(plan: hsds.Plan, counts: Counts) -> dict[uuid.UUID, Organisation]:
    """Update the directory fields of known organisations; create the others (kind other).

    An import never changes an existing organisation's kind, code or parent: those decide who
    sees which persons, so they stay with the administrators. A new organisation gets its
    parent only when the parent is new in the same import too.
    """
    existing = Organisation.objects.in_bulk(
        [item.id for item in plan.organisations], field_name="hsds_id"
    )
    taken = set(Organisation.objects.values_list("code", flat=True))
    out: dict[uuid.UUID, Organisation] = {}
    for item in plan.organisations:
        org = existing.get(item.id)
        if org is None:
            org = Organisation(
                hsds_id=item.id, kind=OrganisationKind.OTHER, code=_free_code(item, taken)
            )
            _assign(org, item.fields)
            _save(org, item)
            counts.created += 1
            audit_event_record(
                actor=None,
                organisation=org,
                event_type=Event.ORGANISATION_CREATED,
                data={"code": org.code, "kind": org.kind, "hsds_id": str(item.id)},
            )
        elif _assign(org, item.fields):
            _save(org, item)
            counts.updated += 1
        else:
            counts.unchanged += 1
        out[item.id] = org
    created = {item.id for item in plan.organisations if item.id not in existing}
    parents: dict[uuid.UUID, uuid.UUID] = {}
    for item in plan.organisations:
        parent_id = item.refs.get("parent")
        if parent_id is None or not {item.id, parent_id} <= created:
            continue
        ancestor: uuid.UUID | None = parent_id
        while ancestor is not None and ancestor != item.id:
            ancestor = parents.get(ancestor)
        if ancestor == item.id:
            continue  # a cycle in the package: leave this link out
        parents[item.id] = parent_id
        org = out[item.id]
        org.parent = out[parent_id]
        org.save(update_fields=["parent", "updated_at"])
    return out


def _free_code(item: hsds.Planned, taken: set[str]) -> str:
    """A unique slug from the organisation's name (``-2``, ``-3``, … when taken)."""
    base = slugify(item.fields["name"])[:50].strip("-") or f"hsds-{str(item.id)[:8]}"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def _parents_first(terms: list[hsds.Planned]) -> list[hsds.Planned]:
    """Order terms so that a parent in the package is written before its children."""
    by_id = {item.id: item for item in terms}
    ordered: list[hsds.Planned] = []
    placed: set[uuid.UUID] = set()

    def place(item: hsds.Planned, seen: frozenset[uuid.UUID]) -> None:
        if item.id in placed:
            return
        parent = by_id.get(item.fields.get("parent_id"))  # type: ignore[arg-type]
        if parent is not None and parent.id not in seen:
            place(parent, seen | {item.id})
        placed.add(item.id)
        ordered.append(item)

    for item in terms:
        place(item, frozenset())
    # A term no keyword maps keeps the life domain it had (set by hand or by an earlier import).
    existing = TaxonomyTerm.objects.in_bulk([item.id for item in terms])
    for item in ordered:
        if not item.fields["life_domain"] and item.id in existing:
            item.fields["life_domain"] = existing[item.id].life_domain
    return ordered


def _import_service_terms(plan: hsds.Plan, outcome: dict[uuid.UUID, str], counts: Counts) -> None:
    """A service with attributes in the package gets exactly those terms, and the life
    domains they map to; a service without any keeps its own."""
    for service_id, term_ids in plan.service_terms.items():
        service = Service.objects.get(pk=service_id)
        terms = list(TaxonomyTerm.objects.filter(pk__in=term_ids))
        domains = sorted({t.life_domain for t in terms if t.life_domain})
        current = set(service.taxonomy_terms.values_list("pk", flat=True))
        if current == {t.pk for t in terms} and domains == sorted(service.life_domains or []):
            continue
        service.taxonomy_terms.set(terms)
        if domains != sorted(service.life_domains or []):
            service.life_domains = domains
            service.save(update_fields=["life_domains", "updated_at"])
        state = outcome.get(service_id)
        if state == "unchanged":
            counts.unchanged -= 1
        if state != "created":
            counts.updated += 1
            outcome[service_id] = "updated"


def _assign(instance: models.Model, fields: dict[str, Any]) -> bool:
    """Set ``fields`` on ``instance``; return whether anything changed."""
    changed = False
    for key, value in fields.items():
        if getattr(instance, key) != value:
            setattr(instance, key, value)
            changed = True
    return changed


def _save(instance: models.Model, item: hsds.Planned) -> None:
    """Validate and save. References were resolved by ``hsds.check_package`` (a parent term may
    also be written later in the same transaction), so relations are not looked up again."""
    relations = [f.name for f in instance._meta.fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems = [
            hsds.Problem(item.file, item.line, name, message)
            for name, messages in exc.message_dict.items()
            for message in messages
        ]
        raise hsds.HsdsPackageError(problems) from exc
    instance.save()


def _upsert(
    model: type[models.Model], items: list[hsds.Planned], counts: Counts, *, create: bool = True
) -> dict[uuid.UUID, str]:
    """Create or update each row by id; return what happened to each (created, updated,
    unchanged)."""
    existing = model._default_manager.in_bulk([item.id for item in items])
    outcome: dict[uuid.UUID, str] = {}
    for item in items:
        instance = existing.get(item.id)
        if instance is None:
            if not create:
                continue
            instance = model(pk=item.id, **item.fields)
            _save(instance, item)
            counts.created += 1
            outcome[item.id] = "created"
        elif _assign(instance, item.fields):
            _save(instance, item)
            counts.updated += 1
            outcome[item.id] = "updated"
        else:
            counts.unchanged += 1
            outcome[item.id] = "unchanged"
    return outcome
