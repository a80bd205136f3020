"""The office pages of review: the queue, one initiative, decisions, personal data, forwarding."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangkien.common.models import AuditEntry
from sangkien.initiatives.enums import Status
from sangkien.review.enums import Decision
from sangkien.review.models import Complaint, Forwarding, Nomination
from sangkien.review.services import decide, forward
from sangkien.targets.models import Tally
from sangkien.targets.services import fold
from tests.review.conftest import letter

pytestmark = pytest.mark.django_db


def queue_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_queue_query_count_is_the_same_for_1_and_3_and_20_rows(
    officers, make_initiative, client_for
):
    client = client_for(officers["gialam"])
    plain, searched = "/office/sang-kien/", "/office/sang-kien/?sort=score&q=cai+tien"
    counted = []
    for more in (1, 2, 17):
        for _ in range(more):
            make_initiative()
        counted.append((queue_queries(client, plain), queue_queries(client, searched)))

    # The tabs of a plain queue read the tallies (3 small queries), a search counts its rows (1).
    assert counted == [(13, 11)] * 3


def test_queue_shows_the_subtree_with_counts_per_status(officers, make_initiative, client_for):
    first, second = make_initiative(), make_initiative()
    decide(actor=officers["stanley"], initiative=first, decision=Decision.ELIGIBLE)
    fold()  # what the commit (or the numbers worker) does: the tabs read the maintained numbers

    response = client_for(officers["gialam"]).get("/office/sang-kien/")
    page = response.content.decode()

    assert first.receipt_display in page and second.receipt_display in page
    counts = dict((value, n) for value, _label, n in response.context["counts"])
    assert counts["eligible"] == 1 and counts["submitted"] == 1
    assert response.context["total"] == 2


def test_queue_counts_rows_when_a_filter_is_not_in_the_maintained_numbers(
    officers, make_initiative, client_for
):
    make_initiative(title="Băng tải an toàn"), make_initiative(title="Máy ép mới")
    fold()

    response = client_for(officers["gialam"]).get("/office/sang-kien/", {"q": "bang tai"})

    counts = dict((value, n) for value, _label, n in response.context["counts"])
    assert counts["submitted"] == 1
    assert response.context["total"] == 1


def test_queue_tabs_read_the_maintained_numbers_when_they_answer_the_selection(
    officers, make_initiative, client_for
):
    for _ in range(3):
        make_initiative()
    fold()
    Tally.objects.filter(dim="status", key="submitted", unit__code="T01-D018").update(n=7)

    response = client_for(officers["gialam"]).get("/office/sang-kien/")

    counts = dict((value, n) for value, _label, n in response.context["counts"])
    assert counts["submitted"] == 7  # read from the tally, not counted
    assert response.context["total"] == 7


def test_queue_of_another_subtree_shows_nothing_of_ours(officers, make_initiative, client_for):
    initiative = make_initiative()

    response = client_for(officers["longbien"]).get("/office/sang-kien/")

    assert response.status_code == 200
    assert initiative.receipt_display not in response.content.decode()
    assert response.context["total"] == 0


def test_queue_desk_outside_the_subtree_is_404(officers, client_for):
    response = client_for(officers["longbien"]).get("/office/sang-kien/?desk=T01-D018")

    assert response.status_code == 404


def test_queue_search_is_accent_insensitive_on_title_name_and_receipt(
    officers, make_initiative, client_for
):
    wanted = make_initiative(title="Máy ép nhựa tiết kiệm điện")
    other = make_initiative(title="Quy trình kiểm kê kho")
    client = client_for(officers["gialam"])

    by_title = client.get("/office/sang-kien/?q=may+ep+nhua").context["page"].object_list
    by_name = client.get("/office/sang-kien/?q=nguyen+thi+lan").context["page"].object_list
    by_receipt = (
        client.get(f"/office/sang-kien/?q={other.receipt_display.lower()}")
        .context["page"]
        .object_list
    )

    assert [i.pk for i in by_title] == [wanted.pk]
    assert {i.pk for i in by_name} == {wanted.pk, other.pk}
    assert [i.pk for i in by_receipt] == [other.pk]


def test_queue_filters_by_status_and_sorts_by_title(officers, make_initiative, client_for):
    a = make_initiative(title="B sáng kiến")
    b = make_initiative(title="A sáng kiến")
    decide(actor=officers["stanley"], initiative=a, decision=Decision.ELIGIBLE)
    client = client_for(officers["gialam"])

    eligible = client.get("/office/sang-kien/?status=eligible").context["page"].object_list
    by_title = client.get("/office/sang-kien/?sort=title").context["page"].object_list

    assert [i.pk for i in eligible] == [a.pk]
    assert [i.pk for i in by_title] == [b.pk, a.pk]


def test_queue_with_nonsense_filters_answers_200_and_says_so(officers, client_for):
    response = client_for(officers["gialam"]).get(
        "/office/sang-kien/?program=abc&phase=-1&status=zzz&sort=evil&page=999&unit=T01-D004"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [
        "Không có đơn vị mã này trong phạm vi của bạn."
    ]


def test_queue_partial_answers_only_the_results(officers, make_initiative, client_for):
    make_initiative()

    response = client_for(officers["gialam"]).get("/office/sang-kien/", HTTP_X_PARTIAL="queue")

    page = response.content.decode()
    assert '<table class="queue">' in page and "<html" not in page


def test_bulk_decision_decides_the_selected_in_the_subtree_only(
    officers, make_initiative, client_for, national, add_grassroots, open_program, form_data
):
    from tests.initiatives.helpers import submit

    ours = [make_initiative(), make_initiative()]
    (elsewhere_unit,) = add_grassroots("T01-D004", 1)
    elsewhere = submit(open_program, form_data(open_program, unit=elsewhere_unit.code))

    response = client_for(officers["gialam"]).post(
        "/office/sang-kien/xu-ly/",
        {
            "ids": [ours[0].pk, ours[1].pk, elsewhere.pk],
            "decision": "eligible",
            "next": "/office/sang-kien/",
        },
    )

    assert response.status_code == 302
    statuses = {i.pk: i.status for i in [*ours, elsewhere] if not i.refresh_from_db()}
    assert statuses == {ours[0].pk: "eligible", ours[1].pk: "eligible", elsewhere.pk: "submitted"}


def test_bulk_not_eligible_without_reason_changes_nothing(officers, make_initiative, client_for):
    initiative = make_initiative()

    response = client_for(officers["gialam"]).post(
        "/office/sang-kien/xu-ly/",
        {"ids": [initiative.pk], "decision": "not_eligible"},
        follow=True,
    )

    assert "Chọn lý do không hợp lệ." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_detail_decision_error_is_shown_next_to_the_field_and_keeps_the_text(
    officers, make_initiative, client_for
):
    initiative = make_initiative()

    response = client_for(officers["stanley"]).post(
        f"/office/sang-kien/{initiative.receipt}/xac-minh/",
        {"decision": "not_eligible", "reason_code": "other", "message": "  "},
    )

    assert response.status_code == 422
    form = response.context["decision_form"]
    assert form.errors["message"] == ["Ghi rõ lý do khác."]
    assert 'aria-invalid="true"' in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_detail_of_another_subtree_is_404(officers, make_initiative, client_for):
    initiative = make_initiative()

    for url in (
        f"/office/sang-kien/{initiative.receipt}/",
        f"/office/sang-kien/{initiative.receipt_display}/",
    ):
        assert client_for(officers["longbien"]).get(url).status_code == 404
    response = client_for(officers["longbien"]).post(
        f"/office/sang-kien/{initiative.receipt}/xac-minh/", {"decision": "eligible"}
    )
    assert response.status_code == 404
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED


def test_detail_masks_personal_data(officers, make_initiative, client_for):
    initiative = make_initiative()

    page = client_for(officers["gialam"]).get(f"/office/sang-kien/{initiative.receipt}/")

    text = page.content.decode()
    assert "0912345678" not in text and "001190012345" not in text
    assert "•••••••678" in text


def test_personal_data_in_clear_for_the_direct_superior_and_logged(
    officers, make_initiative, client_for
):
    initiative = make_initiative()

    response = client_for(officers["gialam"]).post(
        f"/office/sang-kien/{initiative.receipt}/thong-tin-ca-nhan/"
    )

    text = response.content.decode()
    assert "0912345678" in text and "001190012345" in text
    entry = AuditEntry.objects.get(action="personal.view")
    assert (entry.actor, entry.object_id) == (officers["gialam"], str(initiative.pk))
    assert response["Cache-Control"] == "no-store"


def test_personal_data_stays_masked_for_the_province_and_nothing_is_logged(
    officers, make_initiative, client_for
):
    initiative = make_initiative()
    client = client_for(officers["hanoi"])

    page = client.get(f"/office/sang-kien/{initiative.receipt}/").content.decode()
    response = client.post(f"/office/sang-kien/{initiative.receipt}/thong-tin-ca-nhan/")

    assert "thong-tin-ca-nhan" not in page
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action="personal.view").exists()


def test_detail_lists_similar_and_flags_an_identical_resubmission(
    officers, make_initiative, client_for
):
    original = make_initiative(
        title="Băng tải tự động phân loại",
        description="Dùng cảm biến quang phân loại sản phẩm lỗi trên băng tải, giảm 30% nhân công kiểm tra.",
    )
    copy = make_initiative(
        title="BĂNG TẢI tự động, phân loại!",
        description="Dùng cảm biến quang phân loại sản phẩm lỗi trên băng tải — giảm 30% nhân công kiểm tra",
    )

    response = client_for(officers["gialam"]).get(f"/office/sang-kien/{copy.receipt}/")

    assert response.context["initiative"].duplicate_of_id == original.pk
    assert [m.initiative.pk for m in response.context["similar_in_unit"]] == [original.pk]
    assert "Nội dung trùng với sáng kiến đã nộp trước:" in response.content.decode()


def test_similar_endpoint_answers_what_the_detail_page_lists(officers, make_initiative, client_for):
    original = make_initiative(
        title="Băng tải tự động phân loại",
        description="Dùng cảm biến quang phân loại sản phẩm lỗi trên băng tải, giảm 30% nhân công kiểm tra.",
    )
    copy = make_initiative(
        title="BĂNG TẢI tự động, phân loại!",
        description="Dùng cảm biến quang phân loại sản phẩm lỗi trên băng tải — giảm 30% nhân công kiểm tra",
    )

    answer = client_for(officers["gialam"]).get(f"/office/sang-kien/{copy.receipt}/tuong-tu/")

    assert answer.status_code == 200
    assert [row["receipt"] for row in answer.json()["in_unit"]] == [original.receipt_display]
    assert answer.json()["in_unit"][0]["title"] == "Băng tải tự động phân loại"
    assert 0.5 < answer.json()["in_unit"][0]["score"] <= 1


def test_complaint_filed_by_an_officer_is_listed_and_resolution_needs_a_reason(
    officers, make_initiative, client_for
):
    initiative = make_initiative()
    client = client_for(officers["gialam"])

    client.post(
        f"/office/sang-kien/{initiative.receipt}/khieu-nai/",
        {"kind": "authorship", "complainant": "Lê Văn Dũng", "text": "Tôi cùng làm giải pháp này."},
    )
    complaint = Complaint.objects.get()
    response = client.post(f"/office/khieu-nai/{complaint.pk}/giai-quyet/", {"status": "upheld"})

    assert response.status_code == 422
    assert response.context["resolve_form"].errors["resolution"] == ["Trường này là bắt buộc."]
    complaint.refresh_from_db()
    assert complaint.status == "open"


def test_forward_page_keeps_the_selection_and_letter_on_error(
    officers, make_initiative, client_for, phase1
):
    initiative = make_initiative()
    decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
    client = client_for(officers["stanley"])

    response = client.post(
        "/office/de-cu/T01-D018-C001/",
        {
            "phase": phase1.pk,
            "pick": [initiative.pk],
            f"rank_{initiative.pk}": "1",
            "number": "7/TTr",
            "dated_on": "31/02/2026",
            "signer_title": "CHỦ TỊCH",
            "signer_name": "Hùng",
        },
    )

    assert response.status_code == 422
    assert response.context["letter_form"].errors["dated_on"] == ["Nhập một ngày hợp lệ."]
    page = response.content.decode()
    assert (
        'value="7/TTr"' in page
        and f'value="{initiative.pk}" id="pick-{initiative.pk}" checked' in page
    )
    assert not Forwarding.objects.exists()


def test_send_back_page_needs_a_reason(officers, make_initiative, client_for, national, phase1):
    initiative = make_initiative()
    decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
    initiative.refresh_from_db()
    forward(
        actor=officers["stanley"],
        from_unit=national["T01-D018-C001"],
        phase=phase1,
        initiatives=[initiative],
        letter=letter(),
    )
    nomination = Nomination.objects.get()
    client = client_for(officers["gialam"])

    empty = client.post(f"/office/de-nghi/{nomination.pk}/tra-lai/", {"reason": ""})
    stranger = client_for(officers["longbien"]).post(
        f"/office/de-nghi/{nomination.pk}/tra-lai/", {"reason": "Không đạt"}
    )
    done = client.post(f"/office/de-nghi/{nomination.pk}/tra-lai/", {"reason": "Thiếu hồ sơ"})

    assert empty.status_code == 422 and stranger.status_code == 404
    assert done.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.state, nomination.sent_back_reason) == ("sent_back", "Thiếu hồ sơ")


def test_quota_page_sets_the_rule_and_an_exception_and_refuses_nonsense(
    officers, client_for, national, phase1
):
    client = client_for(officers["gialam"])
    stanley = national["T01-D018-C001"]

    bad = client.post(
        f"/office/de-cu/T01-D018/so-luong/?phase={phase1.pk}",
        {"phase": phase1.pk, "default": "2", f"child_{stanley.pk}": "nhiều"},
    )
    good = client.post(
        f"/office/de-cu/T01-D018/so-luong/?phase={phase1.pk}",
        {"phase": phase1.pk, "default": "2", f"child_{stanley.pk}": "4"},
    )

    from sangkien.review.queries import quota_for

    assert bad.status_code == 422
    assert "Nhập một số nguyên từ 0 đến 10.000, hoặc để trống." in bad.content.decode()
    assert good.status_code == 302
    assert quota_for(phase=phase1, unit=stanley, parent=national["T01-D018"]) == 4
    reviewer_only = client_for(officers["stanley"]).get("/office/de-cu/T01-D018/so-luong/")
    assert reviewer_only.status_code == 404


@pytest.fixture
def forwarded(officers, make_initiative, national, phase1):
    initiative = make_initiative()
    decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
    initiative.refresh_from_db()
    forwarding = forward(
        actor=officers["stanley"],
        from_unit=national["T01-D018-C001"],
        phase=phase1,
        initiatives=[initiative],
        letter=letter(),
    )
    from sangkien.review.services import complaint_file

    complaint = complaint_file(initiative=initiative, kind="content", complainant="A", text="B")
    return initiative, forwarding, complaint


@pytest.mark.parametrize(
    "method, url",
    [
        ("get", "/office/sang-kien/{r}/"),
        ("get", "/office/sang-kien/{r}/tuong-tu/"),
        ("post", "/office/sang-kien/{r}/xac-minh/"),
        ("post", "/office/sang-kien/{r}/cham-diem/"),
        ("post", "/office/sang-kien/{r}/thong-tin-ca-nhan/"),
        ("get", "/office/sang-kien/{r}/tep/1/"),
        ("post", "/office/sang-kien/{r}/khieu-nai/"),
        ("post", "/office/khieu-nai/{c}/giai-quyet/"),
        ("post", "/office/de-nghi/{n}/tra-lai/"),
        ("get", "/office/dot-de-nghi/{f}/"),
        ("get", "/office/dot-de-nghi/{f}/to-trinh.pdf"),
        ("get", "/office/dot-de-nghi/{f}/bang-tong-hop.xlsx"),
    ],
)
def test_review_routes_answer_404_outside_the_subtree(officers, client_for, forwarded, method, url):
    initiative, forwarding, complaint = forwarded
    nomination = forwarding.nominations.get()
    before = (
        AuditEntry.objects.count(),
        Nomination.objects.filter(state="active").count(),
        Complaint.objects.filter(status="open").count(),
    )
    payload = {
        "decision": "not_eligible",
        "reason_code": "other",
        "message": "x",
        "unit": "T01-D018-C001",
        "reason": "x",
        "status": "upheld",
        "resolution": "x",
        "kind": "content",
        "complainant": "x",
        "text": "x",
    }
    address = url.format(r=initiative.receipt, c=complaint.pk, n=nomination.pk, f=forwarding.pk)

    response = getattr(client_for(officers["longbien"]), method)(address, payload)

    assert response.status_code == 404, address
    assert before == (
        AuditEntry.objects.count(),
        Nomination.objects.filter(state="active").count(),
        Complaint.objects.filter(status="open").count(),
    )


def test_dossier_files_of_a_forwarding_hold_its_initiatives(officers, client_for, forwarded):
    import io
    import unicodedata

    import docx
    import openpyxl
    import pypdf

    initiative, forwarding, _complaint = forwarded
    client = client_for(officers["gialam"])

    letter_docx = client.get(f"/office/dot-de-nghi/{forwarding.pk}/to-trinh.docx")
    letter_pdf = client.get(f"/office/dot-de-nghi/{forwarding.pk}/to-trinh.pdf")
    table_xlsx = client.get(f"/office/dot-de-nghi/{forwarding.pk}/bang-tong-hop.xlsx")
    table_pdf = client.get(f"/office/dot-de-nghi/{forwarding.pk}/bang-tong-hop.pdf")

    paragraphs = "\n".join(
        p.text for p in docx.Document(io.BytesIO(letter_docx.content)).paragraphs
    )
    assert (
        "Số: 12/TTr-CĐCS"
        in "\n".join(
            cell.text
            for table in docx.Document(io.BytesIO(letter_docx.content)).tables
            for row in table.rows
            for cell in row.cells
        )
        + paragraphs
    )
    assert "Kính gửi: Ban Thường vụ Liên đoàn Lao động huyện Gia Lâm" in paragraphs
    assert initiative.title in paragraphs

    def pdf_text(content: bytes) -> str:
        reader = pypdf.PdfReader(io.BytesIO(content))
        text = " ".join(page.extract_text() for page in reader.pages)
        return " ".join(unicodedata.normalize("NFC", text).split())

    assert letter_pdf["Content-Type"] == "application/pdf"
    assert "Độc lập - Tự do - Hạnh phúc" in pdf_text(letter_pdf.content)
    assert initiative.title in pdf_text(table_pdf.content)
    sheet = openpyxl.load_workbook(io.BytesIO(table_xlsx.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert initiative.title in values and initiative.receipt_display in values
    assert table_xlsx["Content-Disposition"] == (
        f'attachment; filename="bang-tong-hop-T01-D018-C001-{forwarding.pk}.xlsx"'
    )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_forward_page_and_forwarding_page_query_counts_do_not_grow_with_rows(
    officers, make_initiative, client_for, national, phase1
):
    def eligible_one():
        initiative = make_initiative()
        decide(actor=officers["stanley"], initiative=initiative, decision=Decision.ELIGIBLE)
        initiative.refresh_from_db()
        return initiative

    client = client_for(officers["gialam"])
    stanley = national["T01-D018-C001"]
    page = f"/office/de-cu/T01-D018-C001/?phase={phase1.pk}"
    inbox = f"/office/de-cu/T01-D018/?phase={phase1.pk}"
    first = eligible_one()
    eligible_one()  # one candidate left on the page
    one = forward(
        actor=officers["gialam"],
        from_unit=stanley,
        phase=phase1,
        initiatives=[first],
        letter=letter(),
    )
    counts_one = (
        _count(client, page),
        _count(client, inbox),
        _count(client, f"/office/dot-de-nghi/{one.pk}/"),
    )
    more = [eligible_one(), eligible_one()]
    eligible_one()
    eligible_one()  # three candidates left on the page
    three = forward(
        actor=officers["gialam"],
        from_unit=stanley,
        phase=phase1,
        initiatives=more,
        letter=letter("2"),
    )
    counts_three = (
        _count(client, page),
        _count(client, inbox),
        _count(client, f"/office/dot-de-nghi/{three.pk}/"),
    )

    assert counts_one == counts_three == (15, 15, 8)


# The queue's rows as the template rendered them before they moved to Python
# (office/templatetags/queue_rows.py); the tag must give the same HTML.
OLD_QUEUE_ROWS = """{% load i18n %}  {% for i in page.object_list %}
  <tr data-href="{% url 'office:review_detail' i.receipt %}">
    <td><input type="checkbox" name="ids" value="{{ i.pk }}" aria-label="{% blocktranslate with r=i.receipt_display %}Chọn {{ r }}{% endblocktranslate %}"></td>
    <td><a href="{% url 'office:review_detail' i.receipt %}">{{ i.receipt_display }}</a></td>
    <td>{{ i.title }}{% if i.open_complaint %} <span class="badge warn">{% translate "khiếu nại" %}</span>{% endif %}{% if i.duplicate_of_id %} <span class="badge warn">{% translate "trùng nội dung" %}</span>{% endif %}</td>
    <td>{% for a in i.leads %}{{ a.full_name }}{% endfor %}</td>
    <td>{{ i.unit.name }}</td>
    <td>{{ i.submitted_at|dmy_hm }}</td>
    <td><span class="state state-{{ i.status }}">{{ i.get_status_display }}</span></td>
    <td>{{ i.reached|default:"—" }}</td>
    <td class="num">{% if i.score_avg is not None %}{{ i.score_avg|floatformat:1 }} <span class="meta">({{ i.score_count }})</span>{% else %}—{% endif %}</td>
  </tr>
  {% endfor %}"""


@pytest.mark.parametrize("language", ["vi", "en"])
def test_queue_rows_rendered_in_python_equal_the_template_s(
    officers, make_initiative, client_for, language
):
    import copy
    from decimal import Decimal

    from django.template import Context, Template
    from django.utils import translation

    from sangkien.office.templatetags.queue_rows import queue_rows

    first = make_initiative(title='Máy ép "A & B" <mới>')
    make_initiative(title='Máy ép "A & B" <mới>', description=first.description)  # a copy
    decide(actor=officers["stanley"], initiative=first, decision=Decision.ELIGIBLE)
    response = client_for(officers["gialam"]).get("/office/sang-kien/")
    rows = list(response.context["page"].object_list)
    assert len(rows) == 2 and any(i.duplicate_of_id for i in rows)
    odd = copy.copy(rows[0])
    odd.open_complaint, odd.score_avg, odd.score_count = True, Decimal("7.25"), 3
    odd.reached = "Liên đoàn <Lao động> Hà Nội"
    rows.append(odd)
    with translation.override(language):
        old = Template(OLD_QUEUE_ROWS).render(Context({"page": {"object_list": rows}}))
        new = "  " + str(queue_rows(rows))
    assert new == old
    assert old.count("<tr ") == 3
    assert "&quot;A &amp; B&quot; &lt;mới&gt;" in old and "Liên đoàn &lt;Lao động&gt;" in old
    assert "7,3 <span" in old  # half up, one decimal, the project's decimal comma
