import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from tandem.common.svg import Series, TargetLine, line_chart, profile_chart, radar_chart, text

NS = {"svg": "http://www.w3.org/2000/svg"}
AXES = [f"Domein {i}" for i in range(13)]


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to prove it well-formed


def _series_groups(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{{{NS['svg']}}}g") if "radar-series" in g.get("class", "")]


def _points(element: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, p.split(","))) for p in element.get("points", "").split()]


def test_the_chart_is_valid_svg_with_an_accessible_name_and_description():
    svg = radar_chart(
        AXES,
        [Series("Eerste", [1] * 13), Series("Laatste", [3] * 13)],
        max_value=5,
        title="Zelfredzaamheid",
        chart_id="chart-a",
    )
    assert isinstance(svg, SafeString)
    root = _parse(svg)
    assert root.tag == f"{{{NS['svg']}}}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-a-title"
    assert root.get("aria-describedby") == "chart-a-desc"
    assert root.find("svg:title", NS).text == "Zelfredzaamheid"
    desc = root.find("svg:desc", NS).text
    assert "Eerste. Domein 0: 1" in desc
    assert "Laatste. Domein 0: 3" in desc
    # One spoke per axis and one ring per whole step from 1 to 5.
    assert len(root.findall(".//svg:line[@class='radar-spoke']", NS)) == 13
    assert len(root.findall(".//svg:polygon[@class='radar-ring']", NS)) == 5


def test_without_a_title_the_description_names_the_chart():
    root = _parse(radar_chart(["a", "b", "c"], [Series("A", [1, 2, 3])], 3, chart_id="c"))
    assert root.get("aria-labelledby") == "c-desc"
    assert root.find("svg:title", NS) is None


def test_each_series_is_a_polygon_with_a_point_per_axis():
    root = _parse(radar_chart(AXES, [Series("A", list(range(13)))], max_value=12))
    (group,) = _series_groups(root)
    polygon = group.find("svg:polygon[@class='radar-area']", NS)
    assert len(_points(polygon)) == 13


def test_values_scale_from_the_centre_to_the_outer_ring():
    root = _parse(
        radar_chart(["a", "b", "c", "d"], [Series("A", [0, 5, 10, 5])], max_value=10, size=400)
    )
    (group,) = _series_groups(root)
    points = _points(group.find("svg:polygon", NS))
    centre = points[0]  # value 0 lies at the centre
    top_ring = _points(root.find(".//svg:polygon[@class='radar-ring']", NS))
    outer = _points(root.findall(".//svg:polygon[@class='radar-ring']", NS)[-1])
    assert points[2] == outer[2]  # value 10 on the outer ring
    assert centre[0] == pytest.approx(outer[0][0])  # the centre is under the top of the ring
    assert len(top_ring) == 4


def test_missing_values_are_left_out_of_the_polygon_and_said_in_words():
    values = [3] * 13
    values[2] = None
    values[7] = float("nan")
    root = _parse(radar_chart(AXES, [Series("A", values)], max_value=5, none_text="n.v.t."))
    (group,) = _series_groups(root)
    assert len(_points(group.find("svg:polygon", NS))) == 11
    markers = [e for e in group if e.get("class") == "radar-marker"]
    assert len(markers) == 11
    desc = root.find("svg:desc", NS).text
    assert "Domein 2: n.v.t." in desc
    assert "Domein 7: n.v.t." in desc


def test_a_series_with_two_values_is_a_line_and_with_none_only_no_shape():
    values = [None] * 13
    values[0], values[1] = 2, 4
    root = _parse(radar_chart(AXES, [Series("A", values), Series("B", [None] * 13)], 5))
    first, second = _series_groups(root)
    assert first.find("svg:polygon", NS) is None
    assert len(_points(first.find("svg:polyline", NS))) == 2
    assert list(second) == []


def test_text_is_escaped():
    svg = radar_chart(
        ["<script>", "a & b", 'c "d"'],
        [Series("</desc><b>", [1, 2, 3])],
        max_value=3,
        title="x < y",
    )
    assert "<script>" not in svg
    assert "</desc><b>" not in svg
    root = _parse(svg)  # still well-formed
    labels = [
        "".join(t.itertext())
        for t in root.iterfind(".//svg:g[@class='radar-axis-labels']/svg:text", NS)
    ]
    assert labels == ["<script>", "a & b", 'c "d"']
    assert root.find("svg:title", NS).text == "x < y"
    assert text("\x00<\x07") == "&lt;"  # characters XML refuses are dropped


def test_series_differ_by_dash_pattern_and_marker_not_only_by_colour():
    root = _parse(
        radar_chart(AXES, [Series("A", [1] * 13), Series("B", [2] * 13), Series("C", [3] * 13)], 5)
    )
    groups = _series_groups(root)
    dashes = [g.find("svg:polygon", NS).get("stroke-dasharray") for g in groups]
    shapes = [next(e for e in g if e.get("class") == "radar-marker").tag for g in groups]
    assert len(set(dashes)) == 3
    assert len(set(shapes)) == 3
    legend = root.find(".//svg:g[@class='radar-legend']", NS)
    assert [t.text for t in legend.iterfind("svg:text", NS)] == ["A", "B", "C"]


def test_explicit_looks_and_css_classes_are_used():
    root = _parse(
        radar_chart(
            ["a", "b", "c"],
            [Series("A", [1, 2, 3], "series-latest", dash="", marker="diamond", colour="#123456")],
            3,
        )
    )
    (group,) = _series_groups(root)
    assert group.get("class") == "radar-series series-latest"
    assert group.get("stroke") == "#123456"
    assert group.find("svg:polygon[@class='radar-area']", NS).get("stroke-dasharray") is None


def test_long_axis_labels_wrap_onto_two_lines():
    root = _parse(radar_chart(["Huiselijke relaties en kinderopvang", "b", "c"], [], 5))
    first = root.find(".//svg:g[@class='radar-axis-labels']/svg:text", NS)
    assert [t.text for t in first] == ["Huiselijke relaties", "en kinderopvang"]


@pytest.mark.parametrize(
    ("axes", "series", "kwargs"),
    [
        (["a", "b"], [], {}),
        (["a", "b", "c"], [Series("A", [1, 2])], {}),
        (["a", "b", "c"], [], {"min_value": 5}),
        (["a", "b", "c"], [], {"chart_id": 'x" onload="y'}),
    ],
)
def test_bad_input_is_refused(axes, series, kwargs):
    with pytest.raises(ValueError):
        radar_chart(axes, series, 5, **kwargs)


# --- line_chart ---------------------------------------------------------------------------

QUARTERS = ["2023 Q1", "2023 Q2", "2023 Q3"]


def test_a_line_chart_is_accessible_svg_with_a_target_line():
    svg = line_chart(
        QUARTERS,
        [Series("Deelnemers", [1, 3, 4]), Series("Werk", [0, 1, None])],
        targets=[TargetLine("Doel", 10)],
        title="Voortgang",
        chart_id="lc",
        none_text="<5",
    )
    assert isinstance(svg, SafeString)
    root = _parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "lc-title"
    desc = root.find("svg:desc", NS).text
    assert "Deelnemers. 2023 Q1: 1, 2023 Q2: 3, 2023 Q3: 4." in desc
    assert "Werk. 2023 Q1: 0, 2023 Q2: 1, 2023 Q3: <5." in desc
    assert "Doel: 10." in desc
    (target,) = [g for g in root.iter(f"{{{NS['svg']}}}g") if g.get("class") == "line-target"]
    line = target.find("svg:line", NS)
    assert line.get("y1") == line.get("y2")  # horizontal
    assert line.get("stroke-dasharray")
    # The y axis reaches above the target; every x label is written.
    labels = [t.text for t in root.iter(f"{{{NS['svg']}}}text")]
    assert "12" in labels and all(q in labels for q in QUARTERS)
    assert "style" not in svg


def test_line_series_differ_by_dash_and_marker_and_none_breaks_the_line():
    root = _parse(line_chart(QUARTERS, [Series("A", [1, None, 3]), Series("B", [1, 2, 3])]))
    groups = [g for g in root.iter(f"{{{NS['svg']}}}g") if g.get("class") == "line-series"]
    a, b = groups
    assert a.find("svg:polyline", NS) is None  # two single points: no line through the gap
    assert len(a.findall("svg:circle", NS)) == 2
    assert len(b.findall("svg:rect", NS)) == 3
    assert b.find("svg:polyline", NS).get("stroke-dasharray") == "9 5"
    assert a.get("stroke") != b.get("stroke")


def test_line_chart_text_is_escaped():
    svg = line_chart(
        ["<q>"],
        [Series('S "&" <b>', [1])],
        targets=[TargetLine("<doel>", 2)],
        title="</title><script>",
    )
    _parse(svg)
    assert "<script>" not in svg and "<b>" not in svg and "<doel>" not in svg
    assert "&lt;q&gt;" in svg


@pytest.mark.parametrize(
    ("labels", "series", "kwargs"),
    [
        ([], [], {}),
        (["a"], [Series("A", [1, 2])], {}),
        (["a"], [], {"chart_id": "1 bad"}),
    ],
)
def test_line_chart_refuses_bad_input(labels, series, kwargs):
    with pytest.raises(ValueError):
        line_chart(labels, series, **kwargs)


# --- profile_chart: the chart that suits the number of axes ---------------------------------


def test_a_profile_with_three_axes_or_more_is_a_radar():
    root = _parse(profile_chart(["a", "b", "c"], [Series("A", [1, 2, 3])], 5, chart_id="p"))
    assert "radar-chart" in root.get("class")
    assert len(_series_groups(root)) == 1


@pytest.mark.parametrize("axes", [["Inkomen"], ["Inkomen", "Huisvesting"]])
def test_a_profile_with_one_or_two_axes_is_a_bar_chart_with_every_value(axes):
    values = [4, None][: len(axes)]
    series = [Series("Eerste", [2, 3][: len(axes)]), Series("Laatste", values)]
    svg = profile_chart(
        axes, series, 5, min_value=0, chart_id="p", title="Metingen", none_text="niet gemeten"
    )
    root = _parse(svg)
    assert root.get("role") == "img"
    assert "bar-chart" in root.get("class")
    bars = root.findall(".//svg:rect[@class='bar']", NS)
    assert len(bars) == sum(v is not None for s in series for v in s.values)
    labels = [t.text for t in root.findall(".//svg:text[@class='bar-value']", NS)]
    assert labels[: len(axes)] == [str(v) for v in [2, 3][: len(axes)]]
    desc = root.find("svg:desc", NS).text
    for axis in axes:
        assert f"{axis}: " in desc
    if len(axes) == 2:
        assert "Huisvesting: niet gemeten" in desc


def test_a_profile_without_axes_or_series_draws_nothing():
    assert profile_chart([], [], 5) == ""
    assert profile_chart([], [Series("A", [])], 5) == ""
    assert isinstance(profile_chart([], [], 5), SafeString)
