"""Each app registers its own part of the export and of retention in ``<app>/privacy.py``, found
at start-up; the order of the export's sections (its file format) and of the retention steps
(the deletion order) is fixed by the ``order`` they register with, not by the order the apps
are loaded in."""

from __future__ import annotations

import ast
from pathlib import Path

from tandem.common import privacy_hooks as hooks

TANDEM = Path(__file__).resolve().parents[2] / "tandem"

# The export's sections in the order of format version 1 (export.sections in the JSON).
EXPORT_ORDER = [
    ("person", "tandem.registry.privacy"),
    ("household", "tandem.registry.privacy"),
    ("income", "tandem.registry.privacy"),
    ("screenings", "tandem.screening.privacy"),
    ("trajectories", "tandem.trajectories.privacy"),
    ("plan", "tandem.trajectories.privacy"),
    ("contacts", "tandem.trajectories.privacy"),
    ("readings", "tandem.trajectories.privacy"),
    ("pops", "tandem.trajectories.privacy"),
    ("job_coaching", "tandem.trajectories.privacy"),
    ("expert_support", "tandem.trajectories.privacy"),
    ("funding_exceptions", "tandem.programmes.privacy"),
    ("assignments", "tandem.registry.privacy"),
    ("intakes", "tandem.registry.privacy"),
    ("consents", "tandem.network.privacy"),
    ("referrals", "tandem.network.privacy"),
    ("access_history", "tandem.privacy.sections"),
    ("audit_events", "tandem.privacy.trail"),
    ("subject_requests", "tandem.privacy.requests.hooks"),
    ("group_work", "tandem.groupwork.privacy"),
    ("status_events", "tandem.outcomes.privacy"),
    ("imported_trajectories", "tandem.outcomes.privacy"),
    ("notifications", "tandem.notifications.privacy"),
    ("outreach", "tandem.outreach.privacy"),
]

# The retention steps in deletion order, with the report keys they fill.
STEP_ORDER = [
    ("tandem.programmes.privacy", "case_content", ["funding_exceptions"]),
    ("tandem.trajectories.privacy", "case_content", ["coaching_contacts", "trajectories_cleared"]),
    ("tandem.screening.privacy", "screenings", ["screening_answers", "screenings"]),
    ("tandem.registry.privacy", "case_content", ["income_components", "households"]),
    ("tandem.registry.privacy", "case_content", ["intake_changes", "intakes"]),
    ("tandem.registry.privacy", "case_content", ["persons"]),
    ("tandem.privacy.sections", "access_log", ["access_log"]),
    ("tandem.privacy.requests.hooks", "case_content", ["subject_request_texts"]),
    ("tandem.network.privacy", "case_content", ["referrals"]),
    ("tandem.network.privacy", "case_content", ["consents"]),
    ("tandem.groupwork.privacy", "case_content", ["group_network_ties", "group_enrolments"]),
    ("tandem.outcomes.privacy", "case_content", ["status_events", "imported_trajectories"]),
    ("tandem.notifications.privacy", "case_content", ["notifications"]),
    ("tandem.outreach.privacy", "case_content", ["contact_moments", "prospects"]),
]


def test_the_export_sections_keep_their_order_and_come_from_their_apps():
    sections = hooks.export_sections()
    assert [(s.key, s.collect.__module__) for s in sections] == EXPORT_ORDER
    assert not [s.key for s in sections if s.placeholder]


def test_the_retention_steps_keep_the_deletion_order():
    steps = hooks.retention_steps()
    assert len(steps) == len(STEP_ORDER)
    for step, (module, period, keys) in zip(steps, STEP_ORDER, strict=True):
        assert step.run.__module__ == module
        assert step.period == period
        assert [k for k in step.labels if k in keys] == keys
    report_keys = [k for step in steps for k in step.labels]
    assert len(report_keys) == len(set(report_keys))  # one step per report key


def test_equal_orders_keep_the_order_of_registration():
    sections = dict(hooks._SECTIONS)
    try:
        hooks.register_export_section("z_first", "Z", order=5)(lambda person: [])
        hooks.register_export_section("a_second", "A", order=5)(lambda person: [])
        keys = [s.key for s in hooks.export_sections()]
        assert keys[:2] == ["z_first", "a_second"]
    finally:
        hooks._SECTIONS.clear()
        hooks._SECTIONS.update(sections)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_hooks_import_no_app():
    assert not [
        m for m in _imports(TANDEM / "common" / "privacy_hooks.py") if m.startswith(("tandem", "."))
    ]


def test_no_app_config_imports_its_privacy_part():
    # tandem.privacy finds them (autodiscover_modules); an app's ready() does not import them.
    for apps_py in TANDEM.glob("*/apps.py"):
        if apps_py.parent.name == "privacy":
            continue
        source = apps_py.read_text()
        assert "privacy" not in source and "export" not in source, apps_py
