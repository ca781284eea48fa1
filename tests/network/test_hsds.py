"""HSDS import and export: the example package of the specification imports, exports validate
against the specification's JSON Schemas, ids survive a round trip, a second import changes
nothing, and a bad package is refused with every problem on its line and nothing written.

The tests that use ``../shared/testdata/hsds`` skip when it is absent; the others build small
packages of their own.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import translation

from tandem.accounts.models import Organisation, OrganisationKind
from tandem.audit.models import AuditEvent
from tandem.demo import data as demo_data
from tandem.demo.directory import seed_directory
from tandem.network.directory import hsds
from tandem.network.directory.hsds import HsdsPackageError, life_domain_for_term
from tandem.network.directory.importing import directory_import
from tandem.network.models import Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

HSDS_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "hsds"
EXAMPLE = HSDS_DIR / "csv"
SCHEMAS = HSDS_DIR / "schema"

ORG = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0001"
SVC = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0002"
LOC = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0003"
SAL = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0004"
ADR = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0005"
TAX = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0006"
TRM = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0007"
ATT = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0008"
MISSING = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0999"

DIRECTORY_MODELS = (Organisation, Service, Location, ServiceAtLocation, Taxonomy, TaxonomyTerm)


def _good_tables() -> dict[str, str]:
    return {
        "organizations.csv": (
            "id,name,description,email,website\n"
            f"{ORG},OCMW Testdorp,Het sociaal huis,info@ocmw.example,https://ocmw.example\n"
        ),
        "taxonomies.csv": f"id,name,description\n{TAX},Thema's,Thema's van de hulp\n",
        "taxonomy_terms.csv": (
            "id,code,name,description,taxonomy_id\n"
            f"{TRM},debt,Debt counselling,Help with debts,{TAX}\n"
        ),
        "locations.csv": (
            f"id,location_type,organization_id,name\n{LOC},physical,{ORG},Sociaal Huis\n"
        ),
        "addresses.csv": (
            "id,location_id,address_1,city,state_province,postal_code,country,address_type\n"
            f"{ADR},{LOC},Markt 1,Testdorp,Oost-Vlaanderen,9999,be,physical\n"
        ),
        "services.csv": (
            "id,organization_id,name,status,description\n"
            f"{SVC},{ORG},Schuldbemiddeling,active,Hulp bij schulden\n"
        ),
        "service_at_location.csv": f"id,service_id,location_id\n{SAL},{SVC},{LOC}\n",
        "attributes.csv": (f"id,link_id,taxonomy_term_id,link_entity\n{ATT},{SVC},{TRM},service\n"),
    }


def _package(path: Path, tables: dict[str, str | bytes]) -> Path:
    """Write a tabular data package: one resource per file, named as in HSDS."""
    path.mkdir(parents=True, exist_ok=True)
    by_path = {spec.path: spec.name for spec in hsds.SPECS}
    resources = [
        {"name": by_path.get(name, name.removesuffix(".csv")), "path": name} for name in tables
    ]
    (path / "datapackage.json").write_text(json.dumps({"resources": resources}))
    for name, content in tables.items():
        data = content if isinstance(content, bytes) else content.encode()
        (path / name).write_bytes(data)
    return path


def _problems(directory: Path) -> list[str]:
    before = {m: m.objects.count() for m in DIRECTORY_MODELS}
    with pytest.raises(HsdsPackageError) as excinfo, translation.override("en"):
        directory_import(acting_user=None, directory=directory)
    with translation.override("en"):
        problems = [str(p) for p in excinfo.value.problems]
    # All or nothing: not one row of the good ones was written either.
    assert {m: m.objects.count() for m in DIRECTORY_MODELS} == before
    return problems


def _counts(result) -> dict[str, tuple[int, int, int]]:
    return {k: (c.created, c.updated, c.unchanged) for k, c in result.counts.items()}


# --- A package of our own -----------------------------------------------------------------


def test_a_package_imports_with_links_address_and_life_domains(tmp_path):
    result = directory_import(acting_user=None, directory=_package(tmp_path, _good_tables()))
    assert _counts(result) == {kind: (1, 0, 0) for kind in result.counts}
    organisation = Organisation.objects.get(hsds_id=ORG)
    assert (organisation.kind, organisation.code) == (OrganisationKind.OTHER, "ocmw-testdorp")
    assert organisation.email == "info@ocmw.example"
    service = Service.objects.get(pk=SVC)
    assert service.organisation == organisation
    # "Debt counselling" maps to the income life domain, so the service is found by it.
    assert service.life_domains == ["income"]
    assert list(service.taxonomy_terms.values_list("pk", flat=True)) == [uuid.UUID(TRM)]
    location = Location.objects.get(pk=LOC)
    assert (location.address_1, location.postal_code, location.city, location.country) == (
        "Markt 1",
        "9999",
        "Testdorp",
        "BE",
    )
    assert location.region == ""
    assert ServiceAtLocation.objects.get(pk=SAL).location == location
    assert TaxonomyTerm.objects.get(pk=TRM).taxonomy_id == uuid.UUID(TAX)
    event = AuditEvent.objects.get(event_type="directory.imported")
    assert event.data["counts"]["services"] == {"created": 1, "updated": 0, "unchanged": 0}


def test_a_second_import_changes_nothing_and_a_changed_row_is_updated_in_place(tmp_path):
    tables = _good_tables()
    directory = _package(tmp_path, tables)
    directory_import(acting_user=None, directory=directory)
    again = directory_import(acting_user=None, directory=directory)
    assert _counts(again) == {kind: (0, 0, 1) for kind in again.counts}

    tables["services.csv"] = tables["services.csv"].replace("Schuldbemiddeling", "Budgethulp")
    tables["organizations.csv"] = tables["organizations.csv"].replace("Het sociaal", "Ons sociaal")
    result = directory_import(acting_user=None, directory=_package(tmp_path, tables))
    assert _counts(result)["services"] == (0, 1, 0)
    assert _counts(result)["organisations"] == (0, 1, 0)
    assert Service.objects.get().name == "Budgethulp"
    assert Organisation.objects.get(hsds_id=ORG).description == "Ons sociaal huis"


def test_an_existing_organisation_is_matched_on_its_hsds_id_and_keeps_kind_code_and_parent(
    tmp_path,
):
    vdab = OrganisationFactory(name="VDAB", code="vdab-hsds")
    ocmw = OrganisationFactory(
        name="OCMW Gent", code="ocmw-gent-hsds", kind=OrganisationKind.OCMW, parent=vdab
    )
    tables = _good_tables()
    tables["organizations.csv"] = (
        "id,name,description,website,parent_organization_id\n"
        f"{ocmw.hsds_id},OCMW Gent (Sociaal Huis),Onthaal,https://ocmw.gent,{MISSING}\n"
    )
    for name in ("services.csv", "locations.csv"):
        tables[name] = tables[name].replace(ORG, str(ocmw.hsds_id))
    result = directory_import(acting_user=None, directory=_package(tmp_path, tables))
    assert _counts(result)["organisations"] == (0, 1, 0)
    ocmw.refresh_from_db()
    assert (ocmw.name, ocmw.description, ocmw.website) == (
        "OCMW Gent (Sociaal Huis)",
        "Onthaal",
        "https://ocmw.gent",
    )
    assert (ocmw.kind, ocmw.code, ocmw.parent) == (OrganisationKind.OCMW, "ocmw-gent-hsds", vdab)
    assert Service.objects.get().organisation == ocmw


def test_services_may_refer_to_organisations_tandem_holds(tmp_path):
    ocmw = OrganisationFactory(name="OCMW Gent", code="ocmw-gent-ref", kind=OrganisationKind.OCMW)
    tables = {
        "services.csv": f"id,organization_id,name,status\n{SVC},{ocmw.hsds_id},Leefloon,active\n"
    }
    directory_import(acting_user=None, directory=_package(tmp_path, tables))
    assert Service.objects.get(pk=SVC).organisation == ocmw


def test_new_organisations_get_unique_codes_and_parents_only_among_themselves(tmp_path):
    OrganisationFactory(name="Taken", code="ocmw-testdorp")
    parent = "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0101"
    existing = OrganisationFactory(name="VDAB", code="vdab-parent")
    tables = {
        "organizations.csv": (
            "id,name,description,parent_organization_id\n"
            f"{ORG},OCMW Testdorp,x,{parent}\n"
            f"{parent},Stad Testdorp,y,\n"
            f"{SVC},OCMW Testdorp,z,{existing.hsds_id}\n"
        )
    }
    directory_import(acting_user=None, directory=_package(tmp_path, tables))
    first = Organisation.objects.get(hsds_id=ORG)
    assert first.code == "ocmw-testdorp-2"
    assert Organisation.objects.get(hsds_id=SVC).code == "ocmw-testdorp-3"
    assert first.parent == Organisation.objects.get(hsds_id=parent)
    # An import never hangs an organisation under one Tandem already holds.
    assert Organisation.objects.get(hsds_id=SVC).parent is None


def test_a_dangling_optional_reference_is_a_warning_with_its_line(tmp_path):
    tables = _good_tables()
    tables["locations.csv"] = tables["locations.csv"].replace(ORG, MISSING)
    with translation.override("en"):
        result = directory_import(acting_user=None, directory=_package(tmp_path, tables))
        warnings = [str(w) for w in result.warnings]
    assert warnings == [
        f"locations.csv line 2, column organization_id: {MISSING} is neither in "
        "organizations.csv nor in Tandem: the location is imported without an organisation"
    ]
    assert Location.objects.get().organisation is None


def test_a_dry_run_counts_and_writes_nothing(tmp_path, capsys):
    with translation.override("en"):
        call_command("hsds_import", str(_package(tmp_path, _good_tables())), "--dry-run")
    assert "services: 1 created" in capsys.readouterr().out
    assert not Service.objects.exists()
    assert not Organisation.objects.filter(hsds_id=ORG).exists()


# --- Bad packages --------------------------------------------------------------------------


def test_a_bad_package_is_refused_with_every_problem_on_its_line(tmp_path):
    tables = _good_tables()
    tables["services.csv"] += (
        f"6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0010,{ORG},,active,no name\n"
        f"not-a-uuid,{ORG},Budget,active,\n"
        f"6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0011,{MISSING},Leefloon,active,\n"
        f"6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0012,{ORG},Wonen,open,\n"
        f"{SVC},{ORG},Schuldbemiddeling,active,again\n"
    )
    tables["service_at_location.csv"] += f"6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0013,{SVC},{MISSING}\n"
    tables["organizations.csv"] += "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0014,Zonder mail,x,geen-mail,\n"
    problems = _problems(_package(tmp_path, tables))
    assert problems == [
        "organizations.csv line 3, column email: Enter a valid email address.",
        f"service_at_location.csv line 3, column location_id: {MISSING} is neither in "
        "locations.csv nor in Tandem",
        "services.csv line 3, column name: required, but empty",
        "services.csv line 4, column id: “not-a-uuid” is not a UUID (like "
        "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610)",
        f"services.csv line 5, column organization_id: {MISSING} is neither in "
        "organizations.csv nor in Tandem",
        "services.csv line 6, column status: “open” is not one of: active, inactive, defunct, "
        "temporarily closed",
        f"services.csv line 7, column id: the id {SVC} is already on line 2",
    ]


def test_the_command_exits_with_an_error_and_prints_the_report(tmp_path):
    tables = {"services.csv": f"id,organization_id,name,status\nbad,{ORG},X,active\n"}
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"), translation.override("en"):
        call_command("hsds_import", str(_package(tmp_path, tables)), stderr=err)
    assert err.getvalue().splitlines() == [
        "services.csv line 2, column id: “bad” is not a UUID (like "
        "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610)",
        f"services.csv line 2, column organization_id: {ORG} is neither in organizations.csv "
        "nor in Tandem",
    ]


def test_line_numbers_count_the_lines_of_a_quoted_multi_line_cell(tmp_path):
    tables = {
        "organizations.csv": (
            "id,name,description\n"
            f'{ORG},OCMW,"Twee\nregels"\n'
            "6b1f0f0e-6a53-4d6e-9d0b-0a6c2b1d0021,,x\n"
        )
    }
    assert _problems(_package(tmp_path, tables)) == [
        "organizations.csv line 4, column name: required, but empty"
    ]


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        (
            {"organizations.csv": f"id,name\n{ORG},OCMW\n"},
            ["organizations.csv line 1, column description: the column is missing"],
        ),
        (
            {"organizations.csv": f"id,name,description\n{ORG},OCMW\n"},
            ["organizations.csv line 2: 2 values, but the header has 3 columns"],
        ),
        (
            {"organizations.csv": f"id,name,description\n{ORG},Caf\xe9,x\n".encode("latin-1")},
            ["organizations.csv line 2: not valid UTF-8 text; save the file as UTF-8"],
        ),
        (
            {"organizations.csv": ""},
            ["organizations.csv: the file is empty: it needs a header line"],
        ),
        (
            {"locations.csv": f"id,location_type,latitude\n{LOC},boat,north\n"},
            [
                "locations.csv line 2, column location_type: “boat” is not one of: physical, "
                "postal, virtual",
                "locations.csv line 2, column latitude: “north” is not a number",
            ],
        ),
    ],
    ids=["missing-column", "short-row", "latin-1", "empty-file", "enum-and-number"],
)
def test_malformed_files_are_refused(tmp_path, tables, expected):
    assert _problems(_package(tmp_path, tables)) == expected


def test_a_package_needs_its_descriptor_and_its_files_inside_it(tmp_path):
    assert _problems(tmp_path) == ["datapackage.json: not found: a tabular data package needs it"]
    (tmp_path / "datapackage.json").write_text('{"resources": [')
    assert _problems(tmp_path)[0].startswith("datapackage.json line 1: not valid JSON")
    (tmp_path / "datapackage.json").write_text(
        json.dumps(
            {
                "resources": [
                    {"name": "organization", "path": "../outside.csv"},
                    {"name": "service", "path": "services.csv"},
                ]
            }
        )
    )
    assert _problems(tmp_path) == [
        "../outside.csv: the path points outside the package folder",
        "services.csv: listed in datapackage.json, but the file is missing",
    ]


# --- Life domains --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "name", "domain"),
    [
        ("", "Debt counselling", "income"),
        ("", "Schuldbemiddeling", "income"),
        ("", "Emergency shelter", "housing"),
        ("", "Social network building", "social_network"),
        ("", "Job search support", "work_education"),
        ("", "Counselling", "mental_health"),
        ("", "Digital skills", "iadl"),
        ("", "Legal aid", "justice"),
        ("housing", "Huisvesting", "housing"),  # Tandem's own taxonomy, as exported
        ("code", "name", ""),
        ("", "Lawn mowing", ""),
    ],
)
def test_taxonomy_terms_map_to_life_domains_where_obvious(code, name, domain):
    assert life_domain_for_term(code, name) == domain


# --- The HSDS example package and schemas --------------------------------------------------


def _needs(path: Path) -> None:
    if not path.is_dir():
        pytest.skip(f"{path} is absent (the HSDS test data of ../shared/testdata)")


@pytest.fixture(scope="module")
def validators():
    """A validator per HSDS schema; ``$ref`` between the schema files resolves through a
    ``referencing`` registry of the whole folder."""
    _needs(SCHEMAS)
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    contents = {p.name: json.loads(p.read_text()) for p in SCHEMAS.glob("*.json")}
    registry = Registry().with_resources(
        (name, Resource.from_contents(c, default_specification=DRAFT202012))
        for name, c in contents.items()
    )
    return {
        name: Draft202012Validator(
            contents[name], registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        for name in contents
    }


def _validate(validators, export_dir: Path) -> dict[str, int]:
    """Validate every exported JSON file against its schema; return the number of objects."""
    schema_for = {
        "organizations.json": "organization.json",
        "services.json": "service.json",
        "service_at_location.json": "service_at_location.json",
        "locations.json": "location.json",
        "taxonomies.json": "taxonomy.json",
        "taxonomy_terms.json": "taxonomy_term.json",
    }
    sizes = {}
    for file, schema in schema_for.items():
        documents = json.loads((export_dir / file).read_text())
        errors = [
            f"{file}[{i}] {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for i, doc in enumerate(documents)
            for e in validators[schema].iter_errors(doc)
        ]
        assert not errors, "\n".join(errors)
        sizes[file] = len(documents)
    return sizes


def test_the_schemas_refer_to_each_other_and_catch_a_bad_document(validators):
    bad_service = {
        "id": "not-a-uuid",
        "name": "X",
        "status": "open",
        "attributes": [{"id": ORG, "taxonomy_term": {"id": TRM, "name": 3}}],
    }
    messages = {e.message for e in validators["service.json"].iter_errors(bad_service)}
    assert "'not-a-uuid' is not a 'uuid'" in messages
    # Found only by following service.json → attribute.json → taxonomy_term.json.
    assert "3 is not of type 'string'" in messages


def test_the_example_package_imports_and_a_second_import_creates_nothing(capsys):
    _needs(EXAMPLE)
    with translation.override("en"):
        call_command("hsds_import", str(EXAMPLE))
        first = capsys.readouterr().out
        call_command("hsds_import", str(EXAMPLE))
        second = capsys.readouterr().out
    for kind in ("organisations", "services", "locations", "services at locations"):
        assert f"{kind}: 1 created, 0 updated, 0 unchanged" in first
        assert f"{kind}: 0 created, 0 updated, 1 unchanged" in second
    assert "locations.csv line 2, column organization_id" in first
    assert "programs.csv" in first  # named as not imported
    service = Service.objects.get(pk="ac148810-d857-441c-9679-408f346de14b")
    assert service.organisation.hsds_id == uuid.UUID("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
    assert service.service_at_locations.get().location.city == "MyCity"


def test_the_example_round_trips_with_the_same_ids_and_its_json_validates(tmp_path, validators):
    _needs(EXAMPLE)
    # What is made inside this block is rolled back after the export: a fresh database.
    with transaction.atomic():
        directory_import(acting_user=None, directory=EXAMPLE)
        call_command(
            "hsds_export", str(tmp_path / "json"), "--format", "json", stdout=io.StringIO()
        )
        call_command("hsds_export", str(tmp_path / "one"), stdout=io.StringIO())
        ids = _directory_ids()
        transaction.set_rollback(True)
    assert _validate(validators, tmp_path / "json") == dict.fromkeys(
        [
            "organizations.json",
            "services.json",
            "service_at_location.json",
            "locations.json",
            "taxonomies.json",
            "taxonomy_terms.json",
        ],
        1,
    )
    assert not Service.objects.exists()

    result = directory_import(acting_user=None, directory=tmp_path / "one")
    assert _counts(result) == {kind: (1, 0, 0) for kind in result.counts}
    assert _directory_ids() == ids
    call_command("hsds_export", str(tmp_path / "two"), stdout=io.StringIO())
    for file in sorted((tmp_path / "one").iterdir()):
        assert (tmp_path / "two" / file.name).read_text() == file.read_text(), file.name


def test_the_demo_directory_round_trips_and_validates(tmp_path, validators):
    with transaction.atomic():
        orgs: dict[str, Organisation] = {}
        for spec in demo_data.organisations():
            orgs[spec.code] = OrganisationFactory(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                parent=orgs[spec.parent] if spec.parent else None,
            )
        assert seed_directory(orgs) == 32
        assert seed_directory(orgs) == 0
        call_command(
            "hsds_export", str(tmp_path / "json"), "--format", "json", stdout=io.StringIO()
        )
        call_command("hsds_export", str(tmp_path / "one"), stdout=io.StringIO())
        ids = _directory_ids()
        domains = dict(Service.objects.values_list("pk", "life_domains"))
        transaction.set_rollback(True)
    sizes = _validate(validators, tmp_path / "json")
    assert sizes["services.json"] == 32
    services = json.loads((tmp_path / "json" / "services.json").read_text())
    assert all(s["attributes"] and "taxonomy_term" in s["attributes"][0] for s in services)

    assert not Organisation.objects.exists()
    directory_import(acting_user=None, directory=tmp_path / "one")
    assert _directory_ids() == ids
    # The life domains travel as terms of Tandem's life-domain taxonomy.
    assert dict(Service.objects.values_list("pk", "life_domains")) == domains
    assert Organisation.objects.get(code="vdab-gent").parent == Organisation.objects.get(
        code="vdab"
    )


def _directory_ids() -> dict[str, set]:
    return {
        "organisations": set(Organisation.objects.values_list("hsds_id", flat=True)),
        "services": set(Service.objects.values_list("pk", flat=True)),
        "locations": set(Location.objects.values_list("pk", flat=True)),
        "links": set(ServiceAtLocation.objects.values_list("pk", flat=True)),
        "taxonomies": set(Taxonomy.objects.values_list("pk", flat=True)),
        "terms": set(TaxonomyTerm.objects.values_list("pk", flat=True)),
    }


def test_export_refuses_a_file_as_its_folder(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("hsds_export", str(target))


def test_export_writes_a_datapackage_with_the_example_columns(tmp_path):
    directory_import(acting_user=None, directory=_package(tmp_path / "in", _good_tables()))
    call_command("hsds_export", str(tmp_path / "out"), stdout=io.StringIO())
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text())
    assert {r["path"] for r in descriptor["resources"]} == {s.path for s in hsds.SPECS}
    header = (tmp_path / "out" / "services.csv").read_text().splitlines()[0]
    assert header.startswith("id,organization_id,program_id,name,alternate_name,description")
    if EXAMPLE.is_dir():
        for spec in hsds.SPECS:
            example = (EXAMPLE / spec.path).read_text(encoding="utf-8-sig").splitlines()[0]
            written = (tmp_path / "out" / spec.path).read_text().splitlines()[0]
            assert written == example.strip(), spec.path
    # The exported package imports back without a warning.
    copy = shutil.copytree(tmp_path / "out", tmp_path / "again")
    assert directory_import(acting_user=None, directory=copy).warnings == []


# ---- formulas do not leave Tandem (issue 16, "Bad input at every door") -----------------------

FORMULAS = {
    "equals": '=HYPERLINK("http://evil.example","klik")',
    "plus": "+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
}


@pytest.mark.parametrize("start", list(FORMULAS))
def test_hsds_export_csv_neutralises_a_cell_that_starts_like_a_formula(tmp_path, start):
    """``hsds_export --format csv`` wrote ``=HYPERLINK(...)`` cells unchanged."""
    formula = FORMULAS[start]
    directory_import(acting_user=None, directory=_package(tmp_path / "in", _good_tables()))
    Service.objects.update(name=formula, description=formula)
    Organisation.objects.filter(hsds_id=ORG).update(description=formula)
    Location.objects.update(name=formula, latitude="-51.05", longitude="-3.72")
    call_command("hsds_export", str(tmp_path / "out"), stdout=io.StringIO())
    cells = {
        name: list(
            csv.DictReader(io.StringIO((tmp_path / "out" / name).read_bytes().decode(), newline=""))
        )
        for name in ("services.csv", "organizations.csv", "locations.csv")
    }
    assert cells["services.csv"][0]["name"] == "'" + formula
    assert cells["services.csv"][0]["description"] == "'" + formula
    assert cells["organizations.csv"][0]["description"] == "'" + formula
    location = cells["locations.csv"][0]
    assert location["name"] == "'" + formula
    # Coordinates are numbers, not text: a negative one stays a number.
    assert (location["latitude"], location["longitude"]) == ("-51.05", "-3.72")


# ---- bad input at every door (issue 16) ----------------------------------------------------


def _descriptor(path: Path, text: str) -> Path:
    _package(path, _good_tables())
    (path / "datapackage.json").write_text(text)
    return path


DEEP = '{"resources": [], "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
NESTED = '{"resources": [], "x": ' + "[" * 40 + "]" * 40 + "}"


@pytest.mark.parametrize(
    ("descriptor", "expected"),
    [
        pytest.param(DEEP, "nested more than 32 levels deep", id="deeply nested JSON"),
        pytest.param(
            NESTED,
            "nested more than 32 levels deep",
            id="nested JSON below the parser's limit",
        ),
        pytest.param(
            '{"resources": [], "x": NaN}',
            "$.x: NaN is not a finite number",
            id="NaN in JSON",
        ),
        pytest.param(
            '{"resources": [{"name": "organization", "size": 1e400}]}',
            "$.resources[0].size: 1e400 is not a finite number",
            id="1e400 in JSON",
        ),
        pytest.param(
            '{"resources": [{"name": "organization\\u0000"}]}',
            "$.resources[0].name: holds a NUL character",
            id="a NUL byte in JSON",
        ),
    ],
)
def test_a_bad_descriptor_is_refused_with_its_json_path(tmp_path, descriptor, expected):
    problems = _problems(_descriptor(tmp_path, descriptor))
    assert len(problems) == 1 and expected in problems[0], problems


def test_the_json_path_is_named(tmp_path):
    problems = _problems(
        _descriptor(tmp_path, '{"resources": [{"name": "organization", "size": Infinity}]}')
    )
    with translation.override("en"):
        assert problems == [
            "datapackage.json: $.resources[0].size: Infinity is not a finite number Tandem can "
            "store"
        ]


@pytest.mark.parametrize(
    ("tables", "expected"),
    [
        pytest.param(
            {"organizations.csv": f"id,name,description\n{ORG},OCMW\x00,x\n"},
            "organizations.csv line 2, column name: holds a NUL character (U+0000)",
            id="a NUL byte",
        ),
        pytest.param(
            {"locations.csv": f"id,location_type,latitude\n{LOC},physical,1e400\n"},
            "locations.csv line 2, column latitude: 1e400 lies outside -999.999999 to 999.999999",
            id="a latitude of 1e400",
        ),
        pytest.param(
            {"organizations.csv": f"id,name,description\n{ORG},OCMW,{'x' * 1_000_000}\n"},
            "organizations.csv line 2: a value is longer than 131,072 characters",
            id="a 1 MB field",
        ),
    ],
)
def test_bad_cells_are_refused_on_their_line(tmp_path, tables, expected):
    problems = _problems(_package(tmp_path, {**_good_tables(), **tables}))
    assert any(p.startswith(expected) for p in problems), problems
