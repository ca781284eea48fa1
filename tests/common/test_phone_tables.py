"""Every list table stacks into cards on a phone (issue 14): class "stack" on the table and a
data-label on each body cell, so tests/browser/test_phone_layout.py's group page is not the only
one."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

# Tables that stay tables on a phone (they scroll inside their own box): cross tabulations of
# figures, whose rows and columns both carry meaning, and two-column lists that fit anyway.
# Every other table lists records and stacks into cards (class "stack" + data-label).
NOT_STACKED = {
    "admin/accounts/enrolment_codes.html": "the admin's once-shown codes (user, code, until): "
    "an administrator's desk page, three short columns",
    "admin/api/tokens_issued.html": "the admin's once-shown API tokens (client, token, until): "
    "an administrator's desk page, like the enrolment codes",
    "privacy/person_erase.html": "two columns (record type, rows): fits a phone",
    "privacy/export_pdf.html": "paper (PDF) only",
    "network/referrals/figures.html": "figures per organisation and service",
    "home/panels/programme_manager.html": "registered persons per province: two columns",
    "outreach/funnel.html": "funnel figures",
    "outreach/_funnel_table.html": "funnel figures",
    "trajectories/measurement/readings.html": "readings per life domain over time",
    "groupwork/figures.html": "figures per province, programme, module",
    "groupwork/network/maps.html": "network-map ties and before/after comparison",
    "groupwork/selfassessment/comparison.html": "six sentences × start, end, difference: four "
    "short number columns in a scrolling region, beside the maps' comparison",
    "reporting/programme_dashboard.html": "targets and budgets per project and quarter",
    "reporting/project_indicators.html": "ESF+ indicators by gender",
    "reporting/_report_table.html": "report figures",
    "reporting/outcomes_dashboard.html": "outflow figures",
    "outcomes/quality.html": "data-quality findings (columns vary per check)",
}


def test_every_list_table_stacks_on_a_phone():
    templates = Path(settings.LOCALE_PATHS[0]).parent / "templates"
    unlabelled, unstacked = [], []
    for path in templates.rglob("*.html"):
        name = str(path.relative_to(templates))
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<table\b[^>]*>(.*?)</table>", text, re.S):
            tag = match.group(0)[: match.group(0).index(">") + 1]
            if "stack" not in tag:
                if name not in NOT_STACKED:
                    unstacked.append(name)
                continue
            body = re.search(r"<tbody>(.*?)</tbody>", match.group(1), re.S)
            cells = re.findall(r"<td\b[^>]*>", body.group(1) if body else "")
            if any("data-label" not in c and "colspan" not in c for c in cells):
                unlabelled.append(name)
    assert not unstacked, f"list tables without class 'stack' (or add to NOT_STACKED): {unstacked}"
    assert not unlabelled, f"stacked tables with cells lacking data-label: {unlabelled}"
