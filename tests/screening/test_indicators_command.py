"""``manage.py indicators``: figures, thresholds, output files and errors for people."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tandem.common.exports import FORMULA_STARTS
from tandem.screening import batch
from tandem.screening.management.commands import indicators as command

ROOT = Path(__file__).resolve().parents[2]
EUSILC = ROOT.parent / "shared" / "testdata" / "eusilc.csv"
EUSILC_ARGS = [
    "--household",
    "db030",
    "--age",
    "age",
    "--equivalised-income",
    "eqIncome",
    "--weight",
    "rb050",
    "--by",
    "db040",
]
FAMILY_ARGS = ["--household", "hh", "--age", "age", "--income", "income"]

GOOD = "hh,age,income,w\n1,40,2100,1\n1,38,2100,1\n1,10,2100,1\n1,7,2100,1\n2,30,900,2\n"


def run(*args: object) -> str:
    out = io.StringIO()
    call_command("indicators", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_json(*args: object) -> dict:
    return json.loads(run(*args))


def write(folder: Path, text: str, name: str = "persons.csv", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


# --- EU-SILC against an independent computation and laeken's published figures ---------------


def eusilc() -> list[dict[str, str]]:
    if not EUSILC.is_file():
        pytest.skip(f"{EUSILC} is absent")
    with EUSILC.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def plain_median(values: list[float], weights: list[float]) -> float:
    """Eurostat's weighted median in exact rational arithmetic, written independently."""
    pairs = sorted(zip(values, map(Fraction, weights), strict=True))
    half = sum(w for _, w in pairs) / 2
    running = Fraction(0)
    for j, (value, weight) in enumerate(pairs):
        running += weight
        if running == half:
            return (value + pairs[j + 1][0]) / 2
        if running > half:
            return value
    raise AssertionError


def plain_rate(values: list[float], weights: list[float], threshold: float) -> float:
    below = sum(Fraction(w) for v, w in zip(values, weights, strict=True) if v < threshold)
    return float(100 * below / sum(map(Fraction, weights)))


def test_eusilc_figures_agree_with_an_independent_computation(tmp_path):
    rows = eusilc()
    values = [float(r["eqIncome"]) for r in rows]
    weights = [float(r["rb050"]) for r in rows]
    median = plain_median(values, weights)
    threshold = 0.6 * median
    out = tmp_path / "per_person.csv"

    figures = run_json(EUSILC, *EUSILC_ARGS, "--per-person-out", out)

    assert figures["persons"] == 14827
    assert figures["households"] == 6000
    assert figures["weighted_population"] == pytest.approx(float(sum(map(Fraction, weights))))
    assert figures["median"] == pytest.approx(median, rel=1e-12)
    assert figures["threshold"] == pytest.approx(threshold, rel=1e-12)
    assert figures["arop_rate"] == pytest.approx(plain_rate(values, weights, threshold), rel=1e-9)
    regions = defaultdict(list)
    for row, value, weight in zip(rows, values, weights, strict=True):
        regions[row["db040"]].append((value, weight))
    assert set(figures["by"]) == set(regions)
    for region, pairs in regions.items():
        expected = plain_rate([v for v, _ in pairs], [w for _, w in pairs], threshold)
        assert figures["by"][region] == pytest.approx(expected, rel=1e-9), region
        assert figures["by_detail"][region]["persons"] == len(pairs)

    # laeken documents arpt(eusilc) ≈ 10859.24 and arpr(eusilc) ≈ 14.44422 %. The independent
    # computation above reproduces them, so the command does too.
    assert threshold == pytest.approx(10859.24, abs=0.01)
    assert plain_rate(values, weights, threshold) == pytest.approx(14.44422, abs=0.01)
    assert figures["threshold"] == pytest.approx(10859.24, abs=0.01)
    assert figures["arop_rate"] == pytest.approx(14.44422, abs=1e-5)

    with out.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == len(rows)
    for row, person in zip(rows, written, strict=True):
        assert person["db030"] == row["db030"]
        assert float(person["equivalised_size"]) == pytest.approx(float(row["eqSS"]), abs=1e-9)
        assert float(person["equivalised_income"]) == float(row["eqIncome"])
        assert person["at_risk"] == str(int(float(row["eqIncome"]) < figures["threshold"]))


def test_eusilc_as_csv(tmp_path):
    eusilc()
    text = run(EUSILC, *EUSILC_ARGS, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(text)))
    assert table[0]["scope"] == "all"
    assert int(table[0]["persons"]) == 14827
    assert float(table[0]["arop_rate"]) == pytest.approx(14.44422, abs=1e-5)
    assert {r["group"] for r in table[1:]} >= {"Vienna", "Tyrol", "Burgenland"}
    assert all(r["scope"] == "db040" for r in table[1:])
    assert sum(int(r["persons"]) for r in table[1:]) == 14827


# --- thresholds and periods ------------------------------------------------------------------


def test_household_income_is_equivalised(tmp_path):
    path = write(tmp_path, GOOD)
    out = tmp_path / "out.csv"
    figures = run_json(path, *FAMILY_ARGS, "--weight", "w", "--per-person-out", out)
    # 4 persons at 2100 / 2.1 = 1000 (weight 1) and 1 at 900 (weight 2): W = 6, W/2 = 3.
    # Sorted: 900 (C = 2), 1000 (C = 3 = W/2) → (1000 + 1000) / 2.
    assert figures["persons"] == 5
    assert figures["households"] == 2
    assert figures["weighted_population"] == 6.0
    assert figures["median"] == pytest.approx(1000.0)
    assert figures["threshold"] == pytest.approx(600.0)
    assert figures["arop_rate"] == 0.0
    assert "by" not in figures
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "hh,age,income,w,equivalised_size,equivalised_income,at_risk"
    assert lines[1] == "1,40,2100,1,2.1,1000.0,0"


def test_a_given_threshold_amount(tmp_path):
    path = write(tmp_path, GOOD)
    figures = run_json(path, *FAMILY_ARGS, "--weight", "w", "--threshold", "1000")
    assert figures["threshold"] == 1000.0
    assert figures["threshold_source"] == "given"
    assert figures["arop_rate"] == pytest.approx(100 * 2 / 6)  # only the 900 is below 1000


@pytest.mark.django_db
@pytest.mark.parametrize(("period", "threshold"), [("month", 1520.0), ("year", 18240.0)])
def test_an_official_threshold_in_the_period_of_the_incomes(tmp_path, period, threshold):
    # Equivalised 4200 / 2.1 = 2000 for four persons, 900 for one: read as monthly incomes
    # only the 900 is below 1520; read as yearly, everyone is below 18,240.
    path = write(tmp_path, GOOD.replace("2100", "4200"))
    figures = run_json(path, *FAMILY_ARGS, "--threshold", "official:2024", "--period", period)
    assert figures["threshold"] == threshold
    assert figures["period"] == period
    assert "survey year 2024" in figures["threshold_source"]
    assert figures["arop_rate"] == (100.0 if period == "year" else 20.0)


@pytest.mark.django_db
def test_an_unknown_official_year_lists_the_known_ones(tmp_path):
    path = write(tmp_path, GOOD)
    with pytest.raises(CommandError) as error:
        run(path, *FAMILY_ARGS, "--threshold", "official:2019")
    assert "2019" in str(error.value)
    assert "2016, 2018, 2020, 2021, 2022, 2023, 2024" in str(error.value)


@pytest.mark.parametrize("spec", ["-5", "0", "nan", "lots", "official:last"])
def test_a_bad_threshold_is_refused(tmp_path, spec):
    path = write(tmp_path, GOOD)
    with pytest.raises(CommandError, match="--threshold"):
        run(path, *FAMILY_ARGS, "--threshold", spec)


def test_by_groups_use_the_overall_threshold(tmp_path):
    path = write(
        tmp_path,
        "hh,age,income,sex\n1,40,1000,f\n2,40,2000,m\n3,40,3000,f\n4,40,4000,m\n5,40,5000,f\n",
    )
    figures = run_json(path, *FAMILY_ARGS, "--by", "sex")
    assert figures["threshold"] == pytest.approx(1800.0)  # 60 % of 3000
    assert figures["by"] == {"f": pytest.approx(100 / 3), "m": 0.0}
    assert figures["by_detail"]["f"]["persons"] == 3


def test_a_group_without_weight_has_no_rate(tmp_path):
    path = write(tmp_path, "hh,age,income,w,sex\n1,40,1000,1,f\n2,40,2000,0,x\n")
    figures = run_json(path, *FAMILY_ARGS, "--weight", "w", "--by", "sex")
    assert figures["by"] == {"f": 0.0, "x": None}
    table = list(
        csv.DictReader(
            io.StringIO(run(path, *FAMILY_ARGS, "--weight", "w", "--by", "sex", "--format", "csv"))
        )
    )
    assert table[-1]["group"] == "x"
    assert table[-1]["arop_rate"] == ""


def test_bom_and_semicolons(tmp_path):
    path = write(tmp_path, "\ufeffhh;age;income;w\r\n1;40;2100,0;1\r\n1;38;2100,0;1\r\n")
    figures = run_json(path, *FAMILY_ARGS, "--weight", "w")
    assert figures["persons"] == 2
    assert figures["median"] == pytest.approx(1400.0)


def test_progress_goes_to_stderr_and_json_to_stdout(tmp_path, monkeypatch):
    monkeypatch.setattr(batch, "CHUNK_ROWS", 2)
    monkeypatch.setattr(command, "PROGRESS_EVERY", 4)
    rows = "".join(f"{i},30,{1000 + i}\n" for i in range(9))
    path = write(tmp_path, "hh,age,income\n" + rows)
    out, err = io.StringIO(), io.StringIO()
    call_command("indicators", str(path), *FAMILY_ARGS, stdout=out, stderr=err)
    assert json.loads(out.getvalue())["persons"] == 9
    assert err.getvalue().splitlines() == ["indicators: 4 rows read", "indicators: 8 rows read"]


# --- errors: line, column, and no output file -------------------------------------------------

ERRORS = [
    pytest.param(
        "hh,age,wage\n1,40,1000\n",
        1,
        "'income'",
        "there is no column 'income'; the header has: 'hh', 'age', 'wage'",
        id="missing-column",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n2,40,lots,1\n",
        3,
        "'income'",
        "'lots' is not a number",
        id="income-not-a-number",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n2,forty,1000,1\n",
        3,
        "'age'",
        "'forty' is not a number",
        id="age-not-a-number",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n2,40,1000,heavy\n",
        3,
        "'w'",
        "'heavy' is not a number",
        id="weight-not-a-number",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n2,40,1000,-1.5\n",
        3,
        "'w'",
        "weight -1.5 is negative",
        id="negative-weight",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n1,-3,1000,1\n",
        3,
        "'age'",
        "age -3 is negative",
        id="negative-age",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,2000,1\n2,40,900,1\n1,38,1800,1\n",
        4,
        "'income'",
        "household '1' has 1800 here but 2000 on line 2",
        id="household-income-disagrees",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n2,40,inf,1\n",
        3,
        "'income'",
        "'inf' is not a finite number",
        id="income-not-finite",
    ),
    pytest.param("hh,age,income,w\n", 1, None, "no data rows", id="header-only"),
    pytest.param("", 1, None, "there is no header line", id="empty"),
    pytest.param("\n\n", 1, None, "there is no header line", id="blank"),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n2,40,1000\n",
        3,
        None,
        "the row has 3 fields but the header has 4",
        id="short-row",
    ),
    pytest.param(
        "hh,age,income,w\n1,40,1000,1\n,40,1000,1\n",
        3,
        "'hh'",
        "the household id is empty",
        id="empty-household",
    ),
]


@pytest.mark.parametrize(("text", "line", "column", "message"), ERRORS)
def test_bad_input_names_the_line_and_column_and_writes_nothing(
    tmp_path, text, line, column, message
):
    path = write(tmp_path, text)
    out = tmp_path / "out.csv"
    with pytest.raises(CommandError) as error:
        run(path, *FAMILY_ARGS, "--weight", "w", "--per-person-out", out)
    text = str(error.value)
    assert f"line {line}" in text
    if column:
        assert f"column {column}" in text
    assert message in text
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["persons.csv"]  # no temporary left


def test_an_error_in_a_semicolon_file_with_bom_counts_lines_from_the_header(tmp_path):
    path = write(tmp_path, "\ufeffhh;age;income\n1;40;1000\n\n2;40;veel\n")
    with pytest.raises(CommandError, match=r"line 4, column 'income': 'veel' is not a number"):
        run(path, *FAMILY_ARGS)


def test_not_utf8_names_the_line(tmp_path):
    path = write(tmp_path, "hh,age,income\n1,40,1000\n2,40,1000\n3,é,1\n", encoding="latin-1")
    with pytest.raises(CommandError, match="line 4: the file is not UTF-8"):
        run(path, *FAMILY_ARGS)


def test_a_missing_file_or_output_folder(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "nope.csv", *FAMILY_ARGS)
    path = write(tmp_path, GOOD)
    with pytest.raises(CommandError, match="does not exist"):
        run(path, *FAMILY_ARGS, "--per-person-out", tmp_path / "no" / "out.csv")


def test_an_existing_output_file_survives_a_failed_run(tmp_path):
    path = write(tmp_path, "hh,age,income\n1,x,1000\n")
    out = tmp_path / "out.csv"
    out.write_text("previous\n", encoding="utf-8")
    with pytest.raises(CommandError):
        run(path, *FAMILY_ARGS, "--per-person-out", out)
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_the_exit_status_of_a_failed_run_is_not_zero(tmp_path):
    path = write(tmp_path, "hh,age,income\n1,40,1000\n2,-7,1000\n")
    done = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "indicators", str(path), *FAMILY_ARGS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "config.settings.test", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert done.returncode != 0
    assert "line 3, column 'age'" in done.stderr
    assert done.stdout == ""


# --- formulas do not leave Tandem (issue 16) ---------------------------------------------------

# (The population reader takes one physical line per row: a carriage return cannot come in.)
FORMULAS = ["=HYPERLINK(1)", "+1+1", "-1+cmd", "@SUM(1)", "\t=1+1"]


@pytest.mark.parametrize("formula", FORMULAS, ids=["=", "+", "-", "@", "tab"])
def test_the_csv_output_neutralises_a_group_that_starts_like_a_formula(tmp_path, formula):
    source = io.StringIO(newline="")
    rows = [["hh", "age", "income", "sex"], [1, 40, 1000, formula], [2, 40, 2000, "m"]]
    csv.writer(source, lineterminator="\n").writerows(rows)
    path = write(tmp_path, source.getvalue())
    text = run(path, *FAMILY_ARGS, "--by", "sex", "--format", "csv")
    groups = {row["group"] for row in csv.DictReader(io.StringIO(text, newline=""))}
    # (The reader trims a value: the tab in front of "=1+1" is gone, the formula is not.)
    assert "'" + formula.strip() in groups, groups
    assert not any(group.startswith(FORMULA_STARTS) for group in groups), groups
