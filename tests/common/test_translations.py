"""The Dutch catalogue is complete, compiled and up to date with the source strings.

Dutch is the default interface language, so an untranslated or stale string shows up as
English in front of mediators and partners. To refresh the catalogue after changing
source strings, run from the ``tandem/`` directory::

    ../.venv/bin/python ../manage.py makemessages -l nl --no-obsolete
    # translate the new entries in tandem/locale/nl/LC_MESSAGES/django.po
    ../.venv/bin/python ../manage.py compilemessages -l nl

and commit both ``django.po`` and ``django.mo``.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

import polib  # type: ignore[import-untyped]
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

LOCALE_DIR = Path(django_settings.LOCALE_PATHS[0])
PO_PATH = LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# makemessages is run from this directory (it holds the Python packages and templates/).
SOURCE_DIR = LOCALE_DIR.parent

FIX_HINT = (
    "Run `../.venv/bin/python ../manage.py makemessages -l nl --no-obsolete` and "
    "`../.venv/bin/python ../manage.py compilemessages -l nl` from tandem/, translate, "
    "and commit django.po and django.mo."
)

Key = tuple[str, str, str]  # (msgctxt, msgid, msgid_plural)
Value = str | tuple[str, ...]


def _key(entry: polib.POEntry | polib.MOEntry) -> Key:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _value(entry: polib.POEntry | polib.MOEntry) -> Value:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural, key=int))
    return entry.msgstr


def _is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def _live_entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [e for e in catalogue if not e.obsolete and e.msgid]


def _show(items: Iterable[object]) -> str:
    return "\n".join(f"  {item!r}" for item in sorted(items, key=repr))


@pytest.fixture(scope="module")
def po() -> polib.POFile:
    assert PO_PATH.is_file(), f"{PO_PATH} is missing. {FIX_HINT}"
    return polib.pofile(str(PO_PATH))


def test_catalogue_has_no_untranslated_or_fuzzy_entries(po):
    entries = _live_entries(po)
    assert entries, "The Dutch catalogue is empty."
    untranslated = [e.msgid for e in entries if not _is_translated(e)]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert not (untranslated or fuzzy), (
        f"{PO_PATH} is not finished.\n"
        f"Untranslated:\n{_show(untranslated)}\n"
        f"Fuzzy (check the translation, then remove the flag):\n{_show(fuzzy)}"
    )
    # msgfmt skips a fuzzy header, and the .mo would lose its charset and plural rule.
    assert not po.metadata_is_fuzzy, "The catalogue header is marked fuzzy."
    assert po.metadata.get("Language") == "nl"
    assert "nplurals=2" in po.metadata.get("Plural-Forms", "")


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\{\s*\w+\s*\}\}|\{\w*\}")


def test_translations_keep_their_placeholders(po):
    broken = []
    for entry in _live_entries(po):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        expected = sorted(set().union(*(PLACEHOLDER.findall(s) for s in sources)))
        values = _value(entry)
        for value in values if isinstance(values, tuple) else (values,):
            if value and sorted(set(PLACEHOLDER.findall(value))) != expected:
                broken.append((entry.msgid, value))
    assert not broken, f"Placeholders differ from the source:\n{_show(broken)}"


def test_committed_mo_matches_po(po):
    assert MO_PATH.is_file(), f"{MO_PATH} is missing. {FIX_HINT}"
    mo = polib.mofile(str(MO_PATH))
    expected = {
        _key(e): _value(e)
        for e in _live_entries(po)
        if _is_translated(e) and "fuzzy" not in e.flags
    }
    compiled = {_key(e): _value(e) for e in mo if e.msgid}
    missing = expected.keys() - compiled.keys()
    extra = compiled.keys() - expected.keys()
    differing = {k for k in expected.keys() & compiled.keys() if expected[k] != compiled[k]}
    assert not (missing or extra or differing), (
        f"django.mo is stale. {FIX_HINT}\n"
        f"Missing from .mo:\n{_show(missing)}\n"
        f"Only in .mo:\n{_show(extra)}\n"
        f"Different in .mo:\n{_show(differing)}"
    )
    assert "nplurals=2" in mo.metadata.get("Plural-Forms", "")


def test_dutch_and_english_are_served():
    member_count = Template(
        "{% load i18n %}{% blocktranslate count counter=n %}{{ counter }} member"
        "{% plural %}{{ counter }} members{% endblocktranslate %}"
    )
    with translation.override("nl"):
        assert translation.gettext("Find a person") == "Persoon zoeken"
        assert translation.gettext("Register a person") == "Persoon registreren"
        assert translation.gettext("Household") == "Huishouden"
        assert translation.gettext("Enter a name, a national number or a municipality.") == (
            "Vul een naam, een rijksregisternummer of een gemeente in."
        )
        assert translation.gettext("%(name)s is registered.") % {"name": "Mira"} == (
            "Mira is geregistreerd."
        )
        assert member_count.render(Context({"n": 1})) == "1 lid"
        assert member_count.render(Context({"n": 3})) == "3 leden"
    with translation.override("en"):
        assert translation.gettext("Find a person") == "Find a person"
        assert translation.gettext("Household") == "Household"
        assert member_count.render(Context({"n": 3})) == "3 members"


def test_lazy_labels_follow_the_active_language():
    from tandem.accounts.models import Role
    from tandem.common.models import LifeDomain

    with translation.override("nl"):
        assert str(Role.MEDIATOR.label) == "Werk-welzijnsbemiddelaar"
        assert str(LifeDomain.INCOME.label) == "Financiën en schulden"
    with translation.override("en"):
        assert str(Role.MEDIATOR.label) == "Work-welfare mediator"


GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory) -> polib.POFile:
    """Extract the source strings again, exactly as makemessages does, into a scratch dir.

    The source tree is copied without its locale folder and LOCALE_PATHS points at the
    scratch dir, so the committed catalogue is never touched.
    """
    if missing_tools := [t for t in GETTEXT_TOOLS if shutil.which(t) is None]:
        pytest.skip(f"GNU gettext is not installed (missing {', '.join(missing_tools)})")
    tmp = tmp_path_factory.mktemp("i18n")
    source_copy = tmp / "src" / SOURCE_DIR.name
    shutil.copytree(
        SOURCE_DIR, source_copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "*.pyc")
    )
    scratch_locale = tmp / "out" / "locale"
    committed_before = PO_PATH.read_bytes()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(source_copy)
        mp.setattr(django_settings, "LOCALE_PATHS", [str(scratch_locale)])
        call_command(
            "makemessages", locale=["nl"], no_obsolete=True, verbosity=0, stdout=io.StringIO()
        )
    assert PO_PATH.read_bytes() == committed_before, "The extraction touched the real catalogue."
    fresh_po = scratch_locale / "nl" / "LC_MESSAGES" / "django.po"
    assert fresh_po.is_file(), "makemessages produced no catalogue."
    return polib.pofile(str(fresh_po))


def test_every_source_string_is_in_the_catalogue_and_translated(po, fresh_catalogue):
    committed = {_key(e): e for e in _live_entries(po)}
    fresh_keys = {_key(e) for e in _live_entries(fresh_catalogue)}
    assert fresh_keys, "The fresh extraction found no strings."
    missing = fresh_keys - committed.keys()
    untranslated = {k for k in fresh_keys & committed.keys() if not _is_translated(committed[k])}
    assert not missing, f"Source strings missing from django.po. {FIX_HINT}\n{_show(missing)}"
    assert not untranslated, f"Source strings untranslated in django.po:\n{_show(untranslated)}"


def test_catalogue_has_no_stale_entries(po, fresh_catalogue):
    fresh_keys = {_key(e) for e in _live_entries(fresh_catalogue)}
    stale = {_key(e) for e in _live_entries(po)} - fresh_keys
    assert not stale, f"django.po holds strings no longer in the source. {FIX_HINT}\n{_show(stale)}"
