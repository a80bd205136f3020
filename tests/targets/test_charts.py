"""The server-drawn SVG charts: well-formed XML, named for screen readers, numbers written beside
their marks, labels escaped, a long daily curve still one path per series."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest

from sangkien.targets import charts

SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))


def _texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_columns_are_named_and_write_value_and_target():
    markup = charts.columns(
        "chart-phases",
        "Tiến độ theo giai đoạn",
        "Giai đoạn 1: 120/300",
        [charts.Bar("Giai đoạn 1", 120, 300), charts.Bar("Giai đoạn 2", 0, 700)],
        value_name="Số sáng kiến",
        target_name="Chỉ tiêu",
    )

    root = _parse(markup)

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-phases-title chart-phases-desc"
    assert root.find(f"{SVG}title").get("id") == "chart-phases-title"
    assert root.find(f"{SVG}title").text == "Tiến độ theo giai đoạn"
    assert root.find(f"{SVG}desc").get("id") == "chart-phases-desc"
    assert root.find(f"{SVG}desc").text == "Giai đoạn 1: 120/300"
    assert root.get("viewBox") == "0 0 480 270"
    assert root.get("width") is None  # scales to its container
    texts = _texts(root)
    assert "120 / 300" in texts
    assert "0 / 700" in texts
    assert "Giai đoạn 1" in texts and "Giai đoạn 2" in texts
    assert "Chỉ tiêu" in texts  # the legend says what the dashed mark is
    # One column drawn (the zero is not), one dashed target mark per column.
    assert len(root.findall(f"{SVG}rect")) == 2  # the legend's swatch and one column
    assert len([line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]) == 3


def test_labels_and_titles_are_escaped():
    evil = '<script>alert("x")</script> & co'

    markups = [
        charts.columns(
            "chart-a", evil, evil, [charts.Bar(evil, 3, 5)], value_name=evil, target_name=evil
        ),
        charts.bars("chart-b", evil, evil, [charts.Bar(evil, 2)]),
        charts.curve("chart-c", evil, evil, [(date(2026, 1, 1), 4)], cumulative=True, target=9),
    ]

    for markup in markups:
        assert "<script>" not in markup
        assert "&lt;script&gt;" in markup
        root = _parse(markup)  # still well-formed
        assert root.find(f"{SVG}title").text == evil
        assert not list(root.iter(f"{SVG}script"))
        assert not list(root.iter("script"))


def test_chart_id_must_be_a_plain_name():
    with pytest.raises(ValueError):
        charts.bars('x" onload="alert(1)', "t", "d", [charts.Bar("a", 1)])


def test_breakdown_writes_count_and_share_and_wraps_long_labels():
    long_label = "Công nhân lao động trong doanh nghiệp sản xuất, kinh doanh " * 3

    root = _parse(
        charts.bars(
            "chart-kind",
            "Theo loại",
            "…",
            [charts.Bar("Giải pháp kỹ thuật", 3), charts.Bar(long_label, 1), charts.Bar("Khác", 0)],
        )
    )

    texts = _texts(root)
    assert "3 (75 %)" in texts
    assert "1 (25 %)" in texts
    assert "0 (0 %)" in texts
    assert "Giải pháp kỹ thuật" in texts
    first = texts.index("Công nhân lao động trong doanh nghiệp sản xuất, kinh doanh Công")
    assert texts[first + 1].startswith("nhân lao động")  # the second of two lines, cut
    assert texts[first + 1].endswith("…") and len(texts[first + 1]) == 63
    # Three rows of 26 units and four label lines of 17.
    assert root.get("viewBox") == "0 0 480 146"


def test_long_daily_curve_is_one_path_per_series():
    first = date(2022, 1, 8)
    points, running = [], 0
    for i in range(600):
        running += i % 7
        points.append((first + timedelta(days=i), running))

    cumulative = charts.curve(
        "chart-cumulative", "Cộng dồn", "…", points, cumulative=True, target=3000
    )
    daily = charts.curve(
        "chart-daily",
        "Mỗi ngày",
        "…",
        [(day, i % 7) for i, (day, _total) in enumerate(points)],
        cumulative=False,
    )

    cumulative_root, daily_root = _parse(cumulative), _parse(daily)
    assert len(cumulative_root.findall(f"{SVG}path")) == 2  # the area and its line
    assert len(daily_root.findall(f"{SVG}path")) == 1
    assert len(list(cumulative_root.iter())) < 40  # not one element per day
    assert len(str(cumulative)) < 20_000
    texts = _texts(cumulative_root)
    assert "08/01/2022" in texts
    assert (first + timedelta(days=599)).strftime("%d/%m/%Y") in texts
    assert "Chỉ tiêu: 3.000" in texts
    assert "1.795" in texts  # the last cumulative value, written at the end of the line


def test_curve_without_data_says_so():
    root = _parse(charts.curve("chart-empty", "Mỗi ngày", "…", [], cumulative=False))

    assert _texts(root) == ["Chưa có số liệu"]
    assert root.find(f"{SVG}title").text == "Mỗi ngày"
