"""The one validator: formats, the automatic eligibility checks, co-authors, NFC counting."""

import unicodedata
from datetime import timedelta

import pytest

from sangkien.common.vnid import normalize_id_number, normalize_phone
from sangkien.orgs.queries import today
from tests.initiatives.helpers import submission

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0912345678", "0912345678"),
        ("0912 345 678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("(+84) 386-123-456", "0386123456"),
        ("0312345678", None),  # 031 is not a mobile prefix
        ("091234567", None),
        ("09123456789", None),
        ("0212345678", None),
        ("", None),
        ("０９１２３４５６７８", None),  # full-width digits are not accepted silently
    ],
)
def test_phone_normalised_or_refused(typed, expected):
    assert normalize_phone(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("001190012345", ("cccd", "001190012345")),
        ("001 190 012 345", ("cccd", "001190012345")),
        ("280111111", ("cmnd", "280111111")),
        ("28011111", None),
        ("00119001234", None),
        ("0011900123456", None),
        ("00119001234a", None),
    ],
)
def test_id_number_cccd_or_cmnd(typed, expected):
    assert normalize_id_number(typed) == expected


def test_valid_data_passes(national, open_program, form_data):
    found = submission(open_program, form_data(open_program))

    assert found.is_valid(), found.errors_by_path()
    data = found.to_input()
    assert data.authors[0].phone == "0912345678"
    assert data.authors[0].share == 100
    assert data.benefit_vnd == 150_000_000
    assert data.unit.code == "T01-D018-C001"


def test_each_format_error_next_to_its_field(national, open_program, form_data):
    found = submission(
        open_program,
        form_data(
            open_program,
            author_phone="0123 456",
            author_id_number="12345678901",
            benefit_vnd="mười triệu",
            first_applied_on="31/02/2022",
        ),
    )

    assert not found.is_valid()
    assert found.errors_by_path() == {
        "author.phone": [
            "Số điện thoại di động không hợp lệ: cần 10 chữ số bắt đầu bằng đầu số di động Việt "
            "Nam, ví dụ 0912 345 678 hoặc +84 912 345 678."
        ],
        "author.id_number": ["Số CCCD gồm 12 chữ số hoặc số CMND gồm 9 chữ số."],
        "benefit_vnd": ["Giá trị làm lợi là một số tiền bằng đồng, ví dụ 10.000.000."],
        "first_applied_on": ["Ngày không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 15/10/2022."],
    }


def test_description_counted_as_a_person_sees_it(national, open_program, form_data):
    decomposed = unicodedata.normalize("NFD", "ế") * 2000
    assert len(decomposed) == 6000  # e + circumflex + acute, three code points each

    found = submission(open_program, form_data(open_program, description=decomposed))

    assert found.is_valid(), found.errors_by_path()
    assert found.to_input().description == "ế" * 2000


def test_description_one_over_the_limit_refused(national, open_program, form_data):
    found = submission(open_program, form_data(open_program, description="ế" * 2001))

    assert not found.is_valid()
    assert found.errors_by_path() == {
        "description": [
            "Phần mô tả dài 2001 ký tự, vượt quá giới hạn 2000 ký tự của chương trình. Vui lòng "
            "rút gọn 1 ký tự."
        ]
    }


def test_applied_outside_the_programme_window_refused(national, open_program, form_data):
    before = (open_program.eligible_from - timedelta(days=1)).strftime("%d/%m/%Y")
    found = submission(open_program, form_data(open_program, first_applied_on=before))

    assert not found.is_valid()
    start, end = open_program.eligible_from, open_program.eligible_to
    assert found.errors_by_path()["first_applied_on"] == [
        f"Sáng kiến đưa vào áp dụng ngoài thời gian của chương trình (từ {start:%d/%m/%Y} đến "
        f"{end:%d/%m/%Y}) không được tham gia."
    ]


def test_future_dates_refused(national, open_program, form_data):
    tomorrow = (today() + timedelta(days=1)).strftime("%d/%m/%Y")
    found = submission(
        open_program,
        form_data(open_program, first_applied_on=tomorrow, recognition_date=tomorrow),
    )

    assert not found.is_valid()
    assert found.errors_by_path()["first_applied_on"] == [
        "Ngày áp dụng không được sau ngày hôm nay."
    ]
    assert found.errors_by_path()["recognition_date"] == [
        "Ngày công nhận không được sau ngày hôm nay."
    ]


def test_not_recognised_refused_with_the_seed_reason(national, open_program, form_data):
    found = submission(open_program, form_data(open_program, recognized_by=""))

    assert not found.is_valid()
    assert found.errors_by_path()["recognized_by"] == [
        "Sáng kiến phải được Hội đồng sáng kiến hoặc thủ trưởng đơn vị công nhận mới được tham "
        "gia; chọn cấp đã công nhận."
    ]


def test_research_topic_needs_the_heads_confirmation(national, open_program, form_data):
    found = submission(open_program, form_data(open_program, kind="de-tai-nghien-cuu-khoa-hoc"))

    assert not found.is_valid()
    assert found.errors_by_path()["recognized_by"] == [
        "Đề tài nghiên cứu khoa học cần được thủ trưởng cơ quan, đơn vị nơi ứng dụng xác nhận "
        "hiệu quả."
    ]


def test_benefit_required_in_money_or_words(national, open_program, form_data):
    found = submission(open_program, form_data(open_program, benefit_vnd="", benefit_text=" "))

    assert not found.is_valid()
    assert list(found.errors_by_path()) == ["benefit_text"]

    words = submission(
        open_program,
        form_data(open_program, benefit_vnd="", benefit_text="Giảm tai nạn lao động"),
    )
    assert words.is_valid(), words.errors_by_path()


def test_declarations_and_consent_are_required(national, open_program, form_data):
    found = submission(
        open_program, form_data(open_program, not_ip_protected="", lawful="", consent="")
    )

    assert not found.is_valid()
    errors = found.errors_by_path()
    assert errors["not_ip_protected"] == [
        "Sáng kiến đang được bảo hộ quyền sở hữu trí tuệ không được tham gia chương trình; hãy "
        "xác nhận sáng kiến không thuộc trường hợp này."
    ]
    assert errors["lawful"] == [
        "Cần cam kết nội dung sáng kiến không trái với pháp luật, trật tự công cộng và đạo đức "
        "xã hội."
    ]
    assert errors["consent"] == [
        "Cần đồng ý cho xử lý dữ liệu cá nhân để nộp sáng kiến; nếu không đồng ý, bạn có thể "
        "nhờ công đoàn cơ sở hướng dẫn."
    ]


def _with_coauthor(form_data, program, lead_share, share, **extra):
    return form_data(
        program,
        author_share=lead_share,
        **{
            "coauthors-0-full_name": "Trần Văn Bình",
            "coauthors-0-phone": "0987654321",
            "coauthors-0-share": share,
        },
        **extra,
    )


def test_shares_must_add_up_to_100(national, open_program, form_data):
    found = submission(open_program, _with_coauthor(form_data, open_program, "60", "30"))

    assert not found.is_valid()
    assert found.errors_by_path() == {
        "author.share": ["Tổng tỷ lệ đóng góp của các tác giả phải bằng 100% (hiện là 90%)."]
    }


def test_lead_share_required_with_coauthors(national, open_program, form_data):
    found = submission(open_program, _with_coauthor(form_data, open_program, "", "30"))

    assert not found.is_valid()
    assert found.errors_by_path() == {
        "author.share": ["Có đồng tác giả: điền tỷ lệ đóng góp của bạn."]
    }


def test_coauthor_row_needs_a_name_and_a_share(national, open_program, form_data):
    found = submission(
        open_program,
        form_data(open_program, author_share="70", **{"coauthors-0-phone": "0987654321"}),
    )

    assert not found.is_valid()
    errors = found.errors_by_path()
    assert errors["coauthors.0.full_name"] == ["Điền họ và tên đồng tác giả (hoặc xoá cả dòng)."]
    assert errors["coauthors.0.share"] == ["Điền tỷ lệ đóng góp của đồng tác giả."]


def test_same_id_number_twice_refused(national, open_program, form_data):
    found = submission(
        open_program,
        _with_coauthor(
            form_data, open_program, "50", "50", **{"coauthors-0-id_number": "001190012345"}
        ),
    )

    assert not found.is_valid()
    assert found.errors_by_path() == {
        "author.id_number": [
            "Cùng một số CCCD/CMND được khai cho hai tác giả; mỗi người chỉ khai một lần."
        ]
    }


def test_workplace_must_be_a_grassroots_union(national, open_program, form_data):
    district = submission(open_program, form_data(open_program, unit="T01-D018"))
    unknown = submission(open_program, form_data(open_program, unit="KHONG-CO"))

    assert not district.is_valid() and not unknown.is_valid()
    assert district.errors_by_path()["unit"] == [
        "Hãy chọn đến công đoàn cơ sở nơi bạn công tác (đang chọn Liên đoàn Lao động huyện Gia "
        "Lâm)."
    ]
    assert unknown.errors_by_path()["unit"] == [
        "Không tìm thấy đơn vị này; hãy chọn lại nơi công tác."
    ]


def test_officer_limited_to_their_subtree(national, open_program, form_data):
    long_bien = national["T01-D004"]
    path = long_bien.placements.get().path

    found = submission(open_program, form_data(open_program), within=[path])

    assert not found.is_valid()
    assert found.errors_by_path()["unit"] == ["Đơn vị này nằm ngoài phạm vi bạn phụ trách."]


def test_option_codes_must_be_the_programmes(national, open_program, form_data):
    found = submission(open_program, form_data(open_program, kind="khong-co", block="x"))

    assert not found.is_valid()
    assert found.errors_by_path()["kind"] == ["Chọn một trong các loại giải pháp của chương trình."]
    assert found.errors_by_path()["block"] == ["Chọn khối."]
