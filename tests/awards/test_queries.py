"""What a certificate prints, and which awards an officer's list holds."""

import pytest

from sangkien.awards.enums import AwardKind
from sangkien.awards.queries import certificate_data, visible_awards

pytestmark = pytest.mark.django_db


def test_certificate_data_of_a_federation_award_to_a_unit(national, make_officer, award_for):
    admin = make_officer("quantri", "TLD", "national_admin")
    award = award_for(
        admin,
        granting_unit=national["TLD"],
        kind=AwardKind.MERIT_CERTIFICATE,
        recipient_unit=national["T01-D018"],
        place="Hà Nội",
        signer_title="TM. ĐOÀN CHỦ TỊCH\nCHỦ TỊCH",
    )

    data = certificate_data(award)

    assert data.granting_unit == "BAN CHẤP HÀNH TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM"
    assert data.kind == "BẰNG KHEN"
    assert data.recipients == [
        ("Liên đoàn Lao động huyện Gia Lâm", "Liên đoàn Lao động thành phố Hà Nội")
    ]
    assert data.initiative_title == ""
    assert (data.place, data.serial) == ("Hà Nội", award.serial)
    assert data.signer_title == "TM. ĐOÀN CHỦ TỊCH\nCHỦ TỊCH"


def test_certificate_data_of_an_initiative_award_has_a_page_per_author(
    gialam, initiative, award_for
):
    award = award_for(gialam, initiative=initiative, kind=AwardKind.QUARTERLY)

    data = certificate_data(award)

    assert data.granting_unit == "BAN THƯỜNG VỤ LIÊN ĐOÀN LAO ĐỘNG HUYỆN GIA LÂM"
    assert data.kind == "GIẤY CHỨNG NHẬN"
    assert data.recipients == [
        ("Nguyễn Thị Lan", "Công đoàn Công ty TNHH điện Stanley Việt Nam"),
        ("Trần Văn Bình", "Công đoàn Công ty TNHH điện Stanley Việt Nam"),
    ]
    assert data.initiative_title == initiative.title
    assert (data.decision_number, data.decision_date) == ("125/QĐ-LĐLĐ", award.decision_date)


def test_certificate_data_of_a_grassroots_union_names_its_executive_committee(
    national, make_officer, initiative, award_for
):
    stanley = make_officer("stanley", "T01-D018-C001")
    award = award_for(stanley, granting_unit=national["T01-D018-C001"], initiative=initiative)

    assert certificate_data(award).granting_unit == (
        "BAN CHẤP HÀNH CÔNG ĐOÀN CÔNG TY TNHH ĐIỆN STANLEY VIỆT NAM"
    )


def test_visible_awards_by_deciding_unit_or_recipient(
    national, gialam, hanoi, longbien, make_officer, initiative, award_for
):
    district = award_for(gialam, initiative=initiative)
    city = award_for(hanoi, granting_unit=national["T01"], recipient_unit=national["T01-D004"])
    stanley = make_officer("stanley", "T01-D018-C001")
    admin = make_officer("quantri", "TLD", "national_admin")

    assert list(visible_awards(hanoi)) == [city, district]  # same day: newest record first
    assert list(visible_awards(gialam)) == [district]
    assert list(visible_awards(longbien)) == [city]  # Long Biên received it
    assert list(visible_awards(stanley)) == [district]  # its initiative received it
    assert set(visible_awards(admin)) == {city, district}
    assert list(visible_awards(longbien, kind=AwardKind.QUARTERLY)) == []
