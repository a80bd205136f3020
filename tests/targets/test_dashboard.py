"""A unit's dashboard (thống kê) and its files: the figures equal what was submitted, targets from
the allocation tables, children with and without initiatives, the two trees after a move, the
viewer's scope, nonsense parameters, and a query count that does not grow with the children."""

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from sangkien.initiatives.enums import Status
from sangkien.initiatives.services import initiative_withdraw, transition
from sangkien.orgs.models import Unit
from sangkien.orgs.queries import today
from sangkien.orgs.services import (
    refresh_member_totals,
    unit_create,
    unit_move,
    unit_update,
    units_merge,
)
from sangkien.targets import services as numbers
from sangkien.targets.allocation import quarter_target
from sangkien.targets.enums import Tree
from sangkien.targets.models import Allocation
from sangkien.targets.services import quarter_of
from sangkien.targets.tables import AllocationInput, allocation_replace

STANLEY, LIXIL, LADODDA = "T01-D018-C001", "T01-D018-C002", "T01-D018-C003"
GIA_LAM, LONG_BIEN, HA_NOI = "T01-D018", "T01-D004", "T01"


def _set_members(**counts: int) -> None:
    for code, members in counts.items():
        Unit.objects.filter(code=code).update(member_count=members)
    refresh_member_totals()


@pytest.fixture
def figures_data(national, open_program, submit_many, add_grassroots):
    """Stanley: 3 initiatives (3 people, 1 withdrawn); Lixil: 2 of one person (1 not eligible);
    a new grassroots union of Long Biên: 1. Members: 10, 4 and 5."""
    long_bien_union = add_grassroots(LONG_BIEN, 1)[0]
    _set_members(**{STANLEY: 10, LIXIL: 4, long_bien_union.code: 5})
    stanley = Unit.objects.get(code=STANLEY)
    lixil = Unit.objects.get(code=LIXIL)
    made = submit_many(stanley, 2, benefit_vnd=1_000_000)
    made += submit_many(stanley, 1, kind="giai-phap-quan-ly", benefit_vnd=5_000_000)
    made += submit_many(
        lixil, 2, phone="0900000777", target_group="can-bo-cong-doan", benefit_vnd=2_000_000
    )
    made += submit_many(long_bien_union, 1, benefit_vnd=7_000_000)
    initiative_withdraw(initiative=made[0])
    transition(made[3], Status.NOT_ELIGIBLE, reason_code="other", message="Trùng nội dung.")
    numbers.fold()
    return {"made": made, "long_bien_union": long_bien_union, "program": open_program}


@pytest.fixture
def allocations(figures_data, national):
    """Hà Nội gives Gia Lâm 100 (50 per phase, 20% participation); Gia Lâm gives Stanley 4 + 6
    and every other union 2 (1 per phase)."""
    program = figures_data["program"]
    Allocation.objects.create(
        program=program,
        parent=national[HA_NOI],
        label="LĐLĐ huyện Gia Lâm",
        unit=national[GIA_LAM],
        kind="absolute",
        total=Decimal(100),
        participation_percent=Decimal(20),
    )
    Allocation.objects.create(
        program=program,
        parent=national[GIA_LAM],
        label="Công ty TNHH điện Stanley",
        unit=national[STANLEY],
        kind="absolute",
        phase_values={"1": 4, "2": 6},
    )
    Allocation.objects.create(
        program=program,
        parent=national[GIA_LAM],
        position=1,
        label="Các công đoàn cơ sở còn lại",
        kind="per_unit",
        total=Decimal(2),
    )


@pytest.fixture
def gialam(make_officer, client_for, national):
    return client_for(make_officer("gialam", GIA_LAM, "unit_admin"))


@pytest.fixture
def quantri(make_officer, client_for, national):
    return client_for(make_officer("quantri", "TLD", "national_admin"))


def _text(html: str, ident: str) -> str:
    """The text of the element with id `ident`, tags dropped, spaces folded."""
    match = re.search(rf'id="{ident}"[^>]*>(.*?)</(span|ul|table|p|ol)>', html, re.S)
    assert match, ident
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def _page(client, code: str, **params):
    response = client.get(f"/office/thong-ke/{code}/", params)
    assert response.status_code == 200
    return response, response.content.decode()


def test_dashboard_figures_equal_what_was_submitted(figures_data, gialam):
    response, html = _page(gialam, GIA_LAM)

    board = response.context["board"]
    found = board.figures
    assert found.total == 3  # 5 submitted, 1 withdrawn, 1 not eligible
    assert found.benefit == 1_000_000 + 5_000_000 + 2_000_000
    assert found.participants == 3  # Stanley's two remaining authors, Lixil's one
    assert found.members == 14
    assert found.participation_rate == Decimal("21.43")
    assert {line.key: line.count for line in board.by_status} == {
        "submitted": 3,
        "needs_info": 0,
        "eligible": 0,
        "not_eligible": 1,
        "withdrawn": 1,
    }
    assert [(line.label, line.count) for line in board.by_kind][:2] == [
        ("Giải pháp kỹ thuật", 2),
        ("Giải pháp quản lý", 1),
    ]
    assert {line.key: line.count for line in board.by_target_group if line.count} == {
        "cong-nhan-doanh-nghiep": 2,
        "can-bo-cong-doan": 1,
    }
    assert {line.key: line.count for line in board.by_block} == {
        "doanh-nghiep": 3,
        "khoi-co-quan": 0,
    }
    assert [(line.label, line.count) for line in board.by_phase] == [
        ("Giai đoạn 1", 3),
        ("Giai đoạn 2", 0),
    ]
    assert [(day.day, day.count) for day in board.days if day.count] == [(today(), 3)]
    assert board.days[-1].cumulative == 3
    assert (
        board.by_quarter[[line.key for line in board.by_quarter].index(quarter_of(today()))].count
        == 3
    )

    assert _text(html, "total") == "3"
    assert _text(html, "participants") == "3"
    assert _text(html, "benefit") == "8.000.000 đ"
    assert "21,43 % của 14 đoàn viên" in html
    assert "Số liệu cập nhật lúc" in html
    # Each chart comes with the same figures as a table (the two daily charts share one, the
    # children's chart has the children's table).
    assert html.count("<svg") == 9
    assert html.count("Xem bảng số liệu") == 7
    assert 'Không hợp lệ</th><td class="num">1</td><td>Không</td>' in html


def test_children_with_and_without_initiatives(figures_data, gialam):
    response, html = _page(gialam, GIA_LAM)

    board = response.context["board"]
    assert [(c.unit.code, c.figures.total) for c in board.with_initiatives] == [
        (STANLEY, 2),
        (LIXIL, 1),
    ]
    without = [child.unit.code for child in board.without_initiatives]
    assert LADODDA in without and STANLEY not in without
    assert len(without) == len(board.children) - 2
    listed = _text(html, "without")
    assert "Công đoàn Công ty TNHH SX, DV, TM sản phẩm da Ladodda" in listed
    assert "Stanley" not in listed
    table = _text(html, "children-table")
    assert "Công đoàn Công ty TNHH điện Stanley Việt Nam 2" in table
    assert f'href="/office/thong-ke/{STANLEY}/?program=' in html


def test_targets_come_from_the_allocation_rows(figures_data, allocations, gialam):
    response, html = _page(gialam, GIA_LAM)

    board = response.context["board"]
    assert board.target_count == 100
    assert board.progress == Decimal("3.00")
    assert [(line.count, line.target) for line in board.by_phase] == [(3, 50), (0, 50)]
    key = quarter_of(today())
    line = next(line for line in board.by_quarter if line.key == key)
    assert line.target == quarter_target(board.target, board.phases, key)
    assert line.target is not None
    assert board.participation_target == Decimal("20.00")
    children = {child.unit.code: child for child in board.children}
    assert children[STANLEY].target == 10
    assert children[LIXIL].target == 2
    assert children[LADODDA].target == 2
    assert "Chỉ tiêu 100 — đạt 3,00 %" in html
    assert "phải đạt 20,00 %" in html and "đã đạt" in html
    assert "3 / 50" in html  # the phase chart writes count and target

    phase_one, html_one = _page(gialam, GIA_LAM, phase="1")

    one = phase_one.context["board"]
    assert one.target_count == 50
    assert one.progress == Decimal("6.00")
    assert {c.unit.code: c.target for c in one.children}[STANLEY] == 4
    assert "Chỉ tiêu 50 — đạt 6,00 %" in html_one


def test_historical_and_today_trees_after_a_move(
    figures_data, quantri, gialam, django_capture_on_commit_callbacks
):
    stanley = Unit.objects.get(code=STANLEY)
    with django_capture_on_commit_callbacks(execute=True):  # today's tree recounted at commit
        unit_move(unit=stanley, new_parent=Unit.objects.get(code=LONG_BIEN), effective_on=today())
    numbers.fold()

    then, _html = _page(quantri, GIA_LAM, tree="h")
    now, now_html = _page(quantri, GIA_LAM, tree="t")
    long_bien_then, _lb = _page(quantri, LONG_BIEN, tree="h")
    long_bien_now, _lb_now = _page(quantri, LONG_BIEN, tree="t")

    assert then.context["board"].figures.total == 3
    moved = {c.unit.code: c for c in then.context["board"].children}[STANLEY]
    assert moved.figures.total == 2 and moved.moved
    assert now.context["board"].figures.total == 1
    assert STANLEY not in {c.unit.code for c in now.context["board"].children}
    assert "Tính theo cây đơn vị ngày" in now_html
    assert long_bien_then.context["board"].figures.total == 1
    assert long_bien_now.context["board"].figures.total == 3
    assert {c.unit.code: c.figures.total for c in long_bien_now.context["board"].children} == {
        STANLEY: 2,
        figures_data["long_bien_union"].code: 1,
    }
    # Gia Lâm's officer still sees Stanley's past figures under Gia Lâm, without a link to a
    # dashboard that is no longer in their subtree.
    response, html = _page(gialam, GIA_LAM, tree="h")
    child = {c.unit.code: c for c in response.context["board"].children}[STANLEY]
    assert child.figures.total == 2 and not child.linked
    assert f'href="/office/thong-ke/{STANLEY}/' not in html
    assert "đã chuyển đơn vị cấp trên trong thời gian chương trình" in html


def test_a_merged_unit_keeps_its_history(figures_data, quantri, django_capture_on_commit_callbacks):
    gia_lam, long_bien = Unit.objects.get(code=GIA_LAM), Unit.objects.get(code=LONG_BIEN)
    with django_capture_on_commit_callbacks(execute=True):
        units_merge(units=[gia_lam], into=long_bien, effective_on=today())

    then, html = _page(quantri, GIA_LAM, tree="h")
    now, _now_html = _page(quantri, GIA_LAM, tree="t")
    successor, _successor_html = _page(quantri, LONG_BIEN, tree="t")

    board = then.context["board"]
    assert board.figures.total == 3
    assert {c.unit.code: c.figures.total for c in board.with_initiatives} == {STANLEY: 2, LIXIL: 1}
    assert all(child.moved for child in board.children)  # under Long Biên from today
    assert "Liên đoàn Lao động thành phố Hà Nội" in _text(html, "crumbs")
    assert now.context["board"].figures.total == 0
    assert now.context["board"].children == []
    assert "Không có đơn vị trực thuộc." in _now_html
    assert successor.context["board"].figures.total == 4


def test_without_any_programme_the_page_says_so(national, gialam):
    response, html = _page(gialam, GIA_LAM)

    assert "board" not in response.context
    assert "Chưa có chương trình nào." in html
    assert gialam.get(f"/office/thong-ke/{GIA_LAM}/bao-cao.pdf").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/office/thong-ke/{code}/",
        "/office/thong-ke/{code}/bao-cao.xlsx",
        "/office/thong-ke/{code}/bao-cao.csv",
        "/office/thong-ke/{code}/bao-cao.pdf",
    ],
)
@pytest.mark.parametrize("code", [LONG_BIEN, "TLD", HA_NOI, "KHONG-CO"])
def test_outside_the_subtree_answers_404(figures_data, gialam, url, code):
    assert gialam.get(url.format(code=code)).status_code == 404


def test_inside_the_subtree_every_format_answers(figures_data, gialam):
    for url in (
        f"/office/thong-ke/{STANLEY}/",
        f"/office/thong-ke/{GIA_LAM}/bao-cao.xlsx",
        f"/office/thong-ke/{GIA_LAM}/bao-cao.csv",
        f"/office/thong-ke/{GIA_LAM}/bao-cao.pdf",
    ):
        assert gialam.get(url).status_code == 200, url
    assert gialam.get(f"/office/thong-ke/{GIA_LAM}/bao-cao.docx").status_code == 404


def test_breadcrumb_links_only_units_the_viewer_sees(figures_data, gialam):
    _response, html = _page(gialam, STANLEY)

    crumbs = _text(html, "crumbs")
    assert 'href="/office/thong-ke/T01-D018/?' in html
    assert 'href="/office/thong-ke/TLD/' not in html
    assert 'href="/office/thong-ke/T01/' not in html
    assert "Liên đoàn Lao động thành phố Hà Nội" in crumbs


def test_home_redirects_to_the_outermost_unit_seen(figures_data, gialam, quantri):
    response = gialam.get("/office/thong-ke/", {"phase": "1"})

    assert response.status_code == 302
    assert response["Location"] == "/office/thong-ke/T01-D018/?phase=1"
    assert quantri.get("/office/thong-ke/")["Location"] == "/office/thong-ke/TLD/"


def test_nonsense_parameters_answer_200_with_messages(figures_data, gialam):
    response, html = _page(gialam, GIA_LAM, program="khong-co", phase="9<b>", tree="x")

    choice = response.context["choice"]
    assert choice.program == figures_data["program"]
    assert choice.phase is None
    assert choice.which == Tree.HISTORICAL
    assert "Không có chương trình này; đang xem chương trình mặc định." in html
    assert "Chương trình này không có giai đoạn “9&lt;b&gt;”; đang xem cả chương trình." in html
    assert "đang xem cây đơn vị khi nộp" in html
    assert 'aria-invalid="true"' in html
    assert response.context["board"].figures.total == 3


def test_export_with_nonsense_parameters_goes_back_to_the_page(figures_data, gialam):
    response = gialam.get(f"/office/thong-ke/{GIA_LAM}/bao-cao.xlsx", {"tree": "x"})

    assert response.status_code == 302
    assert response["Location"] == f"/office/thong-ke/{GIA_LAM}/?tree=x"


def _sheet_rows(workbook, title: str) -> list[tuple]:
    return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]


def test_xlsx_holds_the_page_figures_and_text_stays_text(figures_data, allocations, gialam):
    unit_update(unit=Unit.objects.get(code=LIXIL), name='=HYPERLINK("http://x","Lixil")')

    response = gialam.get(f"/office/thong-ke/{GIA_LAM}/bao-cao.xlsx", {"phase": "1"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    program = figures_data["program"]
    assert (
        f'filename="thong-ke-{GIA_LAM}-{program.code}-gd1-h.xlsx"'
        in response["Content-Disposition"]
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Tổng quan",
        "Theo giai đoạn",
        "Theo quý",
        "Theo trạng thái",
        "Theo loại giải pháp",
        "Theo đối tượng",
        "Theo khối",
        "Đơn vị trực thuộc",
        "Theo ngày",
    ]
    summary = dict(_sheet_rows(workbook, "Tổng quan")[1:])
    assert summary["Đơn vị"] == f"Liên đoàn Lao động huyện Gia Lâm ({GIA_LAM})"
    assert summary["Số sáng kiến được tính"] == 3
    assert summary["Chỉ tiêu"] == 50
    assert summary["Tỷ lệ hoàn thành chỉ tiêu (%)"] == 6
    assert summary["Người tham gia"] == 3
    assert summary["Giá trị làm lợi (đồng)"] == 8_000_000
    assert _sheet_rows(workbook, "Theo giai đoạn")[1:] == [
        ("Giai đoạn 1", 3, 50, 6),
        ("Giai đoạn 2", 0, 50, 0),
    ]
    assert ("Đã rút", 1, "Không") in _sheet_rows(workbook, "Theo trạng thái")
    children = {row[0]: row for row in _sheet_rows(workbook, "Đơn vị trực thuộc")[1:]}
    assert children[STANLEY][1:5] == ("Công đoàn Công ty TNHH điện Stanley Việt Nam", 2, 4, 50)
    assert children[LADODDA][2] == 0 and children[LADODDA][9] == "chưa có sáng kiến"
    assert _sheet_rows(workbook, "Theo ngày")[1:] == [
        (_midnight(today()), 3, 3),
    ]
    injected = workbook["Đơn vị trực thuộc"]["B3"]
    assert injected.value == '=HYPERLINK("http://x","Lixil")'
    assert injected.data_type == "s"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s"


def _midnight(day):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def test_csv_has_a_bom_and_the_page_figures(figures_data, gialam):
    unit_update(unit=Unit.objects.get(code=LIXIL), name="=1+2 Lixil")

    response = gialam.get(f"/office/thong-ke/{GIA_LAM}/bao-cao.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Tổng quan"]
    summary = {row[0]: row[1] for row in rows[2:16]}
    assert summary["Số sáng kiến được tính"] == "3"
    assert summary["Tỷ lệ đoàn viên tham gia (%)"] == "21.43"
    assert summary["Cây đơn vị"] == "Cây đơn vị khi nộp"
    children_at = rows.index(["Đơn vị trực thuộc"])
    children = {row[0]: row for row in rows[children_at + 2 :] if row and row[0].startswith("T01")}
    assert children[STANLEY][1:3] == ["Công đoàn Công ty TNHH điện Stanley Việt Nam", "2"]
    assert children[LIXIL][1] == "'=1+2 Lixil"
    days_at = rows.index(["Theo ngày"])
    assert rows[days_at + 2] == [today().strftime("%d/%m/%Y"), "3", "3"]


def test_pdf_shows_vietnamese_names_and_figures(figures_data, gialam):
    response = gialam.get(f"/office/thong-ke/{GIA_LAM}/bao-cao.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM" in text
    assert "Công đoàn Công ty TNHH điện Stanley Việt Nam" in text
    assert "Số sáng kiến được tính 3" in text
    assert "Giá trị làm lợi (đồng) 8.000.000" in text
    assert "Theo ngày" in text


def _district_with(national, n: int) -> Unit:
    district = unit_create(
        code="T01-D999",
        name="Liên đoàn Lao động huyện Thử Nghiệm",
        level=2,
        kind="district_federation",
        block="administrative",
        parent=national[HA_NOI],
    )
    for i in range(n):
        unit_create(
            code=f"T01-D999-C{i:03d}",
            name=f"Công đoàn cơ sở thử {i}",
            level=3,
            kind="grassroots",
            block="enterprise",
            parent=district,
        )
    return district


@pytest.mark.parametrize("which", ["h", "t"])
def test_query_count_does_not_grow_with_the_children(
    national, open_program, submit_many, quantri, django_assert_num_queries, which
):
    district = _district_with(national, 1)
    submit_many(Unit.objects.get(code="T01-D999-C000"), 2)
    quantri.get(f"/office/thong-ke/{district.code}/")  # the session and caches settle
    cache.clear()  # the page is built, not taken from the kept ones

    # Today's tree also asks whether a restructuring waits for its recount.
    with django_assert_num_queries({"h": 17, "t": 18}[which]) as one:
        _page(quantri, district.code, tree=which)

    for i in (1, 2):
        child = unit_create(
            code=f"T01-D999-C10{i}",
            name=f"Công đoàn cơ sở thêm {i}",
            level=3,
            kind="grassroots",
            block="enterprise",
            parent=district,
        )
        submit_many(child, 1)
    cache.clear()

    with django_assert_num_queries(len(one.captured_queries)):
        response, _html = _page(quantri, district.code, tree=which)
    assert len(response.context["board"].children) == 3


# The two long tables as the template rendered them before they moved to Python
# (office/templatetags/dashboard_rows.py); the tags must give the same HTML.
OLD_DAYS = (
    '{% load vn %}{% for day in days %}{% if day.count %}<tr><th scope="row">{{ day.day|dmy }}'
    '</th><td class="num">{{ day.count|number }}</td><td class="num">{{ day.cumulative|number }}'
    "</td></tr>{% endif %}{% endfor %}"
)
OLD_CHILDREN = """{% load i18n vn %}{% for child in children %}<tr data-code="{{ child.unit.code }}">
      <th scope="row">{% if child.linked %}<a href="{% url 'office:dashboard' child.unit.code %}?{{ query }}">{{ child.unit.name }}</a>{% else %}{{ child.unit.name }}{% endif %}{% if child.moved %} <span class="badge">{% translate "đã chuyển đơn vị cấp trên trong thời gian chương trình" %}</span>{% endif %}</th>
      <td class="num">{{ child.figures.total|number }}</td>
      <td class="num">{% if child.target is not None %}{{ child.target|number }}{% else %}—{% endif %}</td>
      <td class="num">{% if child.percent is not None %}{{ child.percent|floatformat:2 }}{% else %}—{% endif %}</td>
      <td class="num">{{ child.figures.participants|number }}</td>
      <td class="num">{{ child.figures.members|number }}</td>
      <td class="num">{% if child.figures.participation_rate is not None %}{{ child.figures.participation_rate|floatformat:2 }}{% else %}—{% endif %}</td>
      <td class="num">{{ child.figures.benefit|vnd }}</td>
    </tr>{% endfor %}"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_long_tables_rendered_in_python_equal_the_template_s(
    figures_data, make_officer, allocations, language
):
    from dataclasses import replace

    from django.template import Context, Template
    from django.utils import translation

    from sangkien.office.templatetags.dashboard_rows import child_rows, day_rows
    from sangkien.targets.dashboard import dashboard

    program = figures_data["program"]
    viewer = make_officer(f"tables-{language}", "TLD", "national_admin")
    board = dashboard(program, Unit.objects.get(code=HA_NOI), Tree.HISTORICAL, None, viewer)
    children = [c for c in board.children if c.figures.total]
    assert children and all(c.linked for c in children)
    assert any(c.target is not None for c in children)
    odd = replace(children[0], linked=False, moved=True, target=None)
    odd.unit = Unit(code="X<&>", name='Công đoàn "A & B" <cũ>')
    children = [*children, odd, replace(children[0], target=7)]
    query = "program=a&b=<c>"
    with translation.override(language):
        old_children = Template(OLD_CHILDREN).render(
            Context({"children": children, "query": query})
        )
        old_days = Template(OLD_DAYS).render(Context({"days": board.days}))
        assert str(child_rows(children, query)) == old_children
        assert str(day_rows(board.days)) == old_days
    assert old_days.count("<tr>") == sum(1 for d in board.days if d.count) > 0
    assert "X&lt;&amp;&gt;" in old_children and "&quot;A &amp; B&quot;" in old_children
    assert old_children.count('<a href="/office/thong-ke/') == len(children) - 1


# -- kept dashboards -------------------------------------------------------------------------------


def _board_part(html: str) -> str:
    """The kept part of the page: from the breadcrumb to the last section (no CSRF token)."""
    return html[html.index('id="crumbs"') : html.rindex("</section>")]


def test_a_kept_dashboard_is_the_same_page_for_fewer_queries(
    figures_data, gialam, django_assert_num_queries
):
    first, html = _page(gialam, GIA_LAM)
    assert "board" in first.context

    # The officer, his roles and the unit; the programmes for the form; the numbers' state.
    with django_assert_num_queries(10):
        again, again_html = _page(gialam, GIA_LAM)

    assert "board" not in again.context  # nothing was read or rendered again
    assert _board_part(again_html) == _board_part(html)
    assert _text(again_html, "total") == "3"


def test_a_kept_dashboard_gives_way_to_the_next_fold(figures_data, gialam, submit_many):
    _page(gialam, GIA_LAM)

    submit_many(Unit.objects.get(code=STANLEY), 1)
    numbers.fold()
    response, html = _page(gialam, GIA_LAM)

    assert response.context["board"].figures.total == 4
    assert _text(html, "total") == "4"


def test_a_kept_dashboard_gives_way_to_a_new_target_table(
    figures_data, allocations, gialam, django_capture_on_commit_callbacks
):
    _response, html = _page(gialam, GIA_LAM)
    assert "Chỉ tiêu 100 — đạt 3,00 %" in html

    with django_capture_on_commit_callbacks(execute=True):
        allocation_replace(
            actor=None,
            program=figures_data["program"],
            parent=Unit.objects.get(code=HA_NOI),
            rows=[AllocationInput(unit=Unit.objects.get(code=GIA_LAM), total=Decimal(300))],
        )
    response, html = _page(gialam, GIA_LAM)

    assert response.context["board"].target_count == 300
    assert "Chỉ tiêu 300 — đạt 1,00 %" in html


def test_a_kept_dashboard_gives_way_to_a_renamed_child(
    figures_data, gialam, django_capture_on_commit_callbacks
):
    _page(gialam, GIA_LAM)

    with django_capture_on_commit_callbacks(execute=True):
        unit_update(unit=Unit.objects.get(code=STANLEY), name="Công đoàn Công ty Stanley Việt Nam")
    _response, html = _page(gialam, GIA_LAM)

    assert "Công đoàn Công ty Stanley Việt Nam" in _text(html, "children-table")


def test_a_kept_dashboard_is_not_shared_across_subtrees(figures_data, gialam, quantri):
    _response, national_html = _page(quantri, STANLEY)
    assert 'href="/office/thong-ke/T01/?' in national_html

    response, html = _page(gialam, STANLEY)

    assert "board" in response.context  # built for Gia Lâm's subtree, not the national one's
    assert 'href="/office/thong-ke/T01/' not in html
    assert 'href="/office/thong-ke/T01-D018/?' in html


def test_a_kept_dashboard_is_kept_per_language(figures_data, make_officer):
    officer = make_officer("gialam-en", GIA_LAM, "unit_admin")
    vietnamese, english = Client(), Client()
    for client in (vietnamese, english):
        client.force_login(officer)
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _page(vietnamese, GIA_LAM)

    response, html = _page(english, GIA_LAM)

    assert "board" in response.context
    assert "Chỉ tiêu" not in _board_part(html)
    assert "Theo ngày" not in html


def test_today_s_tree_says_it_is_being_recounted_until_the_worker_has(
    figures_data, quantri, settings, django_capture_on_commit_callbacks
):
    settings.STATS_FOLD = "worker"
    stanley = Unit.objects.get(code=STANLEY)
    with django_capture_on_commit_callbacks(execute=True):
        unit_move(unit=stanley, new_parent=Unit.objects.get(code=LONG_BIEN), effective_on=today())

    _r, waiting = _page(quantri, GIA_LAM, tree="t")
    _r, historical = _page(quantri, GIA_LAM, tree="h")
    assert "đang được tính lại" in _text(waiting, "recounting")
    assert 'id="recounting"' not in historical

    with django_capture_on_commit_callbacks(execute=True):
        numbers.refresh_tree()
    response, recounted = _page(quantri, GIA_LAM, tree="t")

    assert 'id="recounting"' not in recounted
    assert response.context["board"].figures.total == 1  # Stanley's two now count under Long Biên
