"""The vectorised twin agrees with the pure indicators, and reads CSVs as it should."""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.screening import batch, indicators
from tandem.screening.batch import BatchInputError, Columns

EUSILC = Path(__file__).resolve().parents[2].parent / "shared" / "testdata" / "eusilc.csv"

COLUMNS = Columns(household="hh", age="age", income="income", weight="w", by="region")


def eusilc_rows() -> list[dict[str, str]]:
    if not EUSILC.is_file():
        pytest.skip(f"{EUSILC} is absent")
    with EUSILC.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write(folder: Path, text: str, name: str = "persons.csv", encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_text(text, encoding=encoding, newline="")
    return path


# --- random populations ----------------------------------------------------------------------

households = st.lists(
    st.tuples(
        st.lists(st.integers(-1, 95), min_size=1, max_size=7),  # ages
        st.floats(-2_000, 200_000, allow_nan=False, allow_infinity=False),  # household income
        st.sampled_from(["Gent", "Genk", "Aalst"]),  # region
    ),
    min_size=1,
    max_size=25,
)
weights = st.sampled_from([0.0, 0.5, 1.0, 2.0]) | st.floats(1e-3, 1e3)


@st.composite
def populations(draw):
    """Persons of random households, shuffled so that households are not contiguous."""
    persons = []
    for number, (ages, income, region) in enumerate(draw(households)):
        for age in ages:
            persons.append((f"h{number}", age, income, draw(weights), region))
    persons = draw(st.permutations(persons))
    if not any(p[3] for p in persons):
        persons[0] = (*persons[0][:3], 1.0, persons[0][4])
    return persons


def pure_figures(persons):
    """The pure functions applied person by person: the reference for the batch."""
    members = defaultdict(list)
    for hh, age, *_ in persons:
        members[hh].append(age)
    size = {hh: indicators.equivalised_size(ages) for hh, ages in members.items()}
    sizes = [size[p[0]] for p in persons]
    values = [indicators.equivalised_income(p[2], members[p[0]]) for p in persons]
    weights = [p[3] for p in persons]
    median = indicators.weighted_median(values, weights)
    threshold = indicators.poverty_threshold(values, weights)
    rate = indicators.poverty_rate(values, weights, threshold)
    by = {}
    for region in {p[4] for p in persons}:
        rows = [(v, w) for v, w, p in zip(values, weights, persons, strict=True) if p[4] == region]
        if sum(w for _, w in rows) > 0:
            by[region] = indicators.poverty_rate(
                [v for v, _ in rows], [w for _, w in rows], threshold
            )
    return sizes, values, median, threshold, rate, by


@given(populations())
def test_batch_sizes_median_and_rate_equal_the_pure_functions(persons):
    sizes, values, median, threshold, rate, _ = pure_figures(persons)
    ids = [p[0] for p in persons]
    weights = [p[3] for p in persons]
    assert batch.equivalised_sizes(ids, [p[1] for p in persons]).tolist() == sizes
    assert batch.weighted_median(values, weights) == median
    assert batch.poverty_rate(values, weights, threshold) == rate


@settings(max_examples=40, deadline=None)
@given(populations(), st.sampled_from([",", ";"]), st.sampled_from([2, 5, 1000]))
def test_the_csv_pipeline_equals_the_pure_functions(persons, delimiter, chunk_rows):
    sizes, values, median, threshold, rate, by = pure_figures(persons)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "persons.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=delimiter)
            writer.writerow(["hh", "age", "income", "w", "region"])
            writer.writerows(persons)  # floats as repr: read back exactly
        population = batch.read_population(path, COLUMNS, chunk_rows=chunk_rows)
        summary, figures = batch.summarise(population)
    assert summary.persons == len(persons)
    assert summary.households == len({p[0] for p in persons})
    assert figures.equivalised_size.tolist() == sizes
    assert figures.equivalised_income.tolist() == values
    assert summary.median == median
    assert summary.threshold == threshold
    assert summary.arop_rate == rate
    assert {name: g.arop_rate for name, g in summary.by.items() if g.weighted_population} == by
    assert 0 <= summary.arop_rate <= 100


def test_equivalised_sizes_group_non_contiguous_households():
    sizes = batch.equivalised_sizes(["a", "b", "a", "c", "a", "b"], [40, 70, 38, 10, 7, 5])
    assert sizes.tolist() == [1.8, 1.3, 1.8, 1.0, 1.8, 1.3]  # a: 40, 38, 7; b: 70, 5; c: 10
    with pytest.raises(ValueError):
        batch.equivalised_sizes([], [])
    with pytest.raises(ValueError):
        batch.equivalised_sizes(["a"], [-2])


# --- EU-SILC (laeken's synthetic sample) -----------------------------------------------------


def test_eusilc_equivalised_sizes_match_eqss_pure_and_batch():
    rows = eusilc_rows()
    members = defaultdict(list)
    eqss = {}
    for row in rows:
        members[row["db030"]].append(int(row["age"]))
        eqss[row["db030"]] = float(row["eqSS"])
    assert len(members) == 6000
    for household, ages in members.items():
        assert indicators.equivalised_size(ages) == pytest.approx(eqss[household], abs=1e-9)
    sizes = batch.equivalised_sizes([r["db030"] for r in rows], [int(r["age"]) for r in rows])
    expected = np.array([float(r["eqSS"]) for r in rows])
    assert np.abs(sizes - expected).max() <= 1e-9


# --- reading ---------------------------------------------------------------------------------


def test_read_population_codes_households_and_groups_in_order_of_appearance(tmp_path):
    path = write(
        tmp_path,
        "hh,age,income,w,region\nB,40,2000,1,Gent\nA,30,1000,2,Genk\nB,10,2000,1,Genk\n",
    )
    population = batch.read_population(path, COLUMNS, chunk_rows=1)
    assert population.household.tolist() == [0, 1, 0]
    assert population.household_ids == ("B", "A")
    assert population.group_names == ("Gent", "Genk")
    assert population.weight.tolist() == [1.0, 2.0, 1.0]


def test_bom_semicolons_decimal_commas_blank_lines_and_padding(tmp_path):
    path = write(
        tmp_path,
        "\ufeffhh ; age ; income ; w ; region\r\n"
        "1;40;2000,50;1,5;Gent\r\n"
        "\r\n"
        ";;;;\r\n"
        " 1 ;38;2000,50;1,5;Gent\r\n",
    )
    population = batch.read_population(path, COLUMNS)
    assert population.delimiter == ";"
    assert population.persons == 2
    assert population.households == 1  # " 1 " is household "1"
    assert population.income.tolist() == [2000.5, 2000.5]
    assert population.weight.tolist() == [1.5, 1.5]


def test_line_numbers_count_physical_lines(tmp_path):
    path = write(
        tmp_path,
        'hh,age,income,w,region,note\n1,40,2000,1,Gent,"two\nlines"\n\n2,abc,1000,1,Gent,x\n',
    )
    columns = Columns(household="hh", age="age", income="income", weight="w")
    with pytest.raises(BatchInputError) as error:
        batch.read_population(path, columns)
    assert error.value.line == 5
    assert error.value.column == "age"
    assert "'abc' is not a number" in str(error.value)


def test_progress_is_reported_per_chunk(tmp_path):
    rows = "".join(f"{i},30,1000,1,Gent\n" for i in range(7))
    path = write(tmp_path, "hh,age,income,w,region\n" + rows)
    seen: list[int] = []
    batch.read_population(path, COLUMNS, chunk_rows=3, progress=seen.append)
    assert seen == [3, 6, 7]


def test_per_person_output_copies_the_key_columns_as_written(tmp_path):
    path = write(
        tmp_path,
        "hh;extra;age;income;w;region\n"
        "7;x;40;2100,0;1;Gent\n"
        "7;y;38;2100,0;1;Gent\n"
        "8;z;30;900;1;Genk\n",
    )
    population = batch.read_population(path, COLUMNS)
    _, figures = batch.summarise(population, threshold=1000.0)
    out = tmp_path / "out.csv"
    batch.write_per_person(population, figures, out)
    assert out.read_text(encoding="utf-8").splitlines() == [
        "hh;age;income;w;region;equivalised_size;equivalised_income;at_risk",
        "7;40;2100,0;1;Gent;1.5;1400.0;0",
        "7;38;2100,0;1;Gent;1.5;1400.0;0",
        "8;30;900;1;Genk;1.0;900.0;1",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "persons.csv"]


@pytest.mark.parametrize("formula", ["=HYPERLINK(1)", "+1+1", "-1+cmd", "@SUM(1)"])
def test_per_person_output_neutralises_a_key_that_starts_like_a_formula(tmp_path, formula):
    """The per-person file goes through Tandem's one CSV writer (issue 16)."""
    path = write(tmp_path, f"hh;extra;age;income;w;region\n7;x;40;2100;1;{formula}\n")
    population = batch.read_population(path, COLUMNS)
    _, figures = batch.summarise(population, threshold=1000.0)
    out = tmp_path / "out.csv"
    batch.write_per_person(population, figures, out)
    assert out.read_text(encoding="utf-8").splitlines()[1] == f"7;40;2100;1;'{formula};1.0;2100.0;0"


# --- NumPy's reader and the csv reader agree -------------------------------------------------

# Ids with what a spreadsheet puts in them: spaces around (trimmed), accents, ';' or ','
# inside (legal unless it is the separator), digits only, and the empty group.
ids = st.text(alphabet=" abcXYZ019éß€;,-_", min_size=0, max_size=6)
numbers = st.floats(-1, 1e7, allow_nan=False, allow_infinity=False) | st.integers(-1, 10**6)


@st.composite
def plain_files(draw):
    """A header and rows whose values hold neither quotes nor the separator."""
    delimiter = draw(st.sampled_from([",", ";"]))
    household = ids.map(str.strip).filter(lambda v: v and delimiter not in v).map(lambda v: f" {v}")
    group = ids.filter(lambda v: delimiter not in v)
    incomes = {}
    rows = []
    for _ in range(draw(st.integers(1, 30))):
        hh = draw(household)
        income = incomes.setdefault(hh.strip(), draw(numbers))
        rows.append((hh, draw(st.integers(-1, 95)), income, abs(draw(numbers)), draw(group)))
    if not any(row[3] for row in rows):
        rows[0] = (*rows[0][:3], 1, rows[0][4])
    header = delimiter.join(["hh", "age", "income", "w", "region"])
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [header, *(delimiter.join(map(str, row)) for row in rows)]
    return ending.join(lines) + ending


def fields(population):
    return (
        population.household.tolist(),
        population.household_first.tolist(),
        population.household_ids,
        population.age.tolist(),
        population.income.tolist(),
        population.weight.tolist(),
        population.group.tolist(),
        population.group_names,
    )


@settings(max_examples=60, deadline=None)
@given(plain_files(), st.sampled_from([1, 4, 1000]))
def test_numpy_reader_reads_what_the_csv_reader_reads(text, chunk_rows):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), text)
        fast = batch.read_population(path, COLUMNS, chunk_rows=chunk_rows)
        original = batch._read_vectorised
        batch._read_vectorised = lambda *args: None  # the csv reader alone
        try:
            careful = batch.read_population(path, COLUMNS, chunk_rows=chunk_rows)
        finally:
            batch._read_vectorised = original
    assert fields(fast) == fields(careful)


def test_numpy_reader_is_used_for_a_plain_file_only(tmp_path, monkeypatch):
    used = []
    original = batch._read_vectorised

    def spy(*args):
        result = original(*args)
        used.append(result is not None)
        return result

    monkeypatch.setattr(batch, "_read_vectorised", spy)
    plain = "hh,age,income,w,region\n1,40,2000,1,Gent\n2,30,1000,1,Genk\n"
    batch.read_population(write(tmp_path, plain), COLUMNS)
    quoted = 'hh,age,income,w,region\n1,40,2000,1,"Gent"\n'
    batch.read_population(write(tmp_path, quoted, "quoted.csv"), COLUMNS)
    extra = "hh,age,income,w,region\n1,40,2000,1,Gent,x\n"
    with pytest.raises(BatchInputError, match="the row has 6 fields but the header has 5"):
        batch.read_population(write(tmp_path, extra, "extra.csv"), COLUMNS)
    assert used == [True, False, False]


def test_interning_survives_a_hash_collision(monkeypatch):
    """Every row is compared with its hash's first id: a collision falls back to the strings."""
    ids = np.array(["xb", "ab", "xb", "cb", "ab"])
    monkeypatch.setattr(batch, "_HASH_FACTOR", np.uint64(0))  # the hash is the last letter
    interned = batch._intern_all(ids)
    assert interned.codes.tolist() == [0, 1, 0, 2, 1]
    assert interned.first.tolist() == [0, 1, 3]
    assert interned.names == ("xb", "ab", "cb")
