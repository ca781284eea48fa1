"""Map HSDS taxonomy terms to Tandem's life domains, so imported services can be found by life
domain. A small keyword table: unmapped terms are fine."""

from __future__ import annotations

import re

from tandem.common.models import LifeDomain

# Keywords (English, and Dutch stems) in a term's code or name that point to one of Tandem's
# life domains, matched at the start of a word. The first match wins: what the help is about
# (debts, housing, justice, …) comes before how it is given (counselling, training), so "Debt
# counselling" is income. A term that matches none keeps no life domain; it is still imported.
LIFE_DOMAIN_KEYWORDS: tuple[tuple[str, str], ...] = (
    (LifeDomain.SOCIAL_NETWORK, r"social network|sociaal netwerk|loneliness|eenzaam|buddy"),
    (
        LifeDomain.INCOME,
        r"debt|schuld|budget|financ|money|income|inkomen|leefloon|benefit|uitkering",
    ),
    (LifeDomain.HOUSING, r"housing|huisvest|wonen|woon|shelter|homeless|dakloos|rent|huur"),
    (LifeDomain.JUSTICE, r"justice|justitie|legal|juridisch|probation|court|law\b"),
    (LifeDomain.ADDICTION, r"addict|substance|verslav|alcohol|drug"),
    (LifeDomain.FAMILY, r"child|kinderopvang|family|gezin|parent|opvoed|domestic"),
    (LifeDomain.MENTAL_HEALTH, r"mental|counsel|psycholog|psychiatr|geestelijk|psychisch"),
    (LifeDomain.IADL, r"digital|digita|administrat|mobility|mobiliteit|transport"),
    (LifeDomain.ADL, r"personal care|food|meal|maaltijd|restaurant|hygien"),
    (LifeDomain.WORK_EDUCATION, r"employ|job|work|werk|training|opleiding|educat|onderwijs|career"),
    (LifeDomain.PHYSICAL_HEALTH, r"health|medical|gezondheid|medisch"),
    (LifeDomain.PARTICIPATION, r"language|taal|integrat|inburger|volunteer|vrijwillig|particip"),
    (LifeDomain.DAYTIME, r"daytime|dagbesteding|leisure|vrije tijd|activer"),
)
_KEYWORD_RES = tuple((d, re.compile(rf"\b(?:{p})", re.IGNORECASE)) for d, p in LIFE_DOMAIN_KEYWORDS)


def life_domain_for_term(code: str, name: str) -> str:
    """Tandem's life domain for an HSDS taxonomy term, or "" when none is obvious."""
    if code in LifeDomain.values:
        return code  # Tandem's own life-domain taxonomy, as exported
    text = f"{code} {name}"
    for domain, pattern in _KEYWORD_RES:
        if pattern.search(text):
            return str(domain)
    return ""
