"""A member in headless Chromium: submitting with a co-author and a PDF, the receipt, the lookup,
a refused description, a form closing at the deadline, a double click."""

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from sangkien.initiatives.models import Initiative
from sangkien.orgs.national import load_national_tree
from sangkien.orgs.queries import today
from sangkien.programs.models import Program
from sangkien.programs.services import load_demo_program, load_seed_programs
from tests.browser.conftest import text_of, wait_until
from tests.initiatives.files import PDF

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def country(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CAPTCHA_MODE = "off"
    load_national_tree()
    load_seed_programs()
    return load_demo_program(timezone.localdate())


def _type(browser, element_id: str, text: str):
    field = browser.find_element(By.ID, element_id)
    field.clear()
    field.send_keys(text)


def _set(browser, element_id: str, value: str):
    """Set a value the way a paste would (dates, long texts), firing the input event."""
    browser.execute_script(
        "var el = document.getElementById(arguments[0]); el.value = arguments[1];"
        "el.dispatchEvent(new Event('input', {bubbles: true}));",
        element_id,
        value,
    )


def _check(browser, css: str):
    browser.find_element(By.CSS_SELECTOR, css).click()


def _fill(browser, *, description: str = "Đồ gá định vị nhanh, giảm 20% thời gian lắp ráp."):
    applied = (today() - timedelta(days=5)).isoformat()
    _type(browser, "id_author_full_name", "Nguyễn Thị Lan")
    _type(browser, "id_author_phone", "0912 345 678")
    _type(browser, "id_author_id_number", "001190012345")
    # The workplace: typed without accents, the script finds it and offers the unions.
    _type(browser, "id_unit_query", "stanley")
    wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, "input[name=unit_pick]"))
    _check(browser, "input[name=unit_pick][value='T01-D018-C001']")
    wait_until(browser, lambda b: "Stanley" in text_of(b, "#picker .chosen"))
    _check(browser, "input[name=block][value=doanh-nghiep]")
    _check(browser, "input[name=target_group][value=cong-nhan-doanh-nghiep]")
    Select(browser.find_element(By.ID, "id_kind")).select_by_value("giai-phap-ky-thuat")
    _type(browser, "id_title", "Cải tiến đồ gá hàn")
    _set(browser, "id_description", description)
    _set(browser, "id_first_applied_on", applied)
    _check(browser, "input[name=recognized_by][value=council]")
    _type(browser, "id_recognition_number", "15/QĐ-HĐSK")
    _set(browser, "id_recognition_date", applied)
    _type(browser, "id_benefit_vnd", "150.000.000")
    _check(browser, "#id_not_ip_protected")
    _check(browser, "#id_lawful")
    _check(browser, "#id_consent")


def _submit(browser):
    browser.find_element(By.ID, "submit-button").click()


def test_member_submits_with_a_coauthor_and_a_pdf_then_looks_it_up(country, page, tmp_path):
    pdf = tmp_path / "bao-cao-sang-kien.pdf"
    pdf.write_bytes(PDF)
    browser = page(f"/chuong-trinh/{country.code}/nop/")

    _fill(browser)
    _type(browser, "id_author_share", "70")
    _type(browser, "id_coauthors-0-full_name", "Trần Văn Bình")
    _type(browser, "id_coauthors-0-share", "30")
    browser.find_element(By.ID, "id_attachments").send_keys(str(pdf))
    _submit(browser)

    wait_until(browser, lambda b: "/bien-nhan/" in b.current_url)
    initiative = Initiative.objects.get()
    code = text_of(browser, "#receipt-code")
    assert code == initiative.receipt_display
    assert "•••••••678" in browser.page_source
    assert [a.full_name for a in initiative.authors.all()] == ["Nguyễn Thị Lan", "Trần Văn Bình"]
    assert list(initiative.attachments.values_list("original_name", "kind")) == [
        ("bao-cao-sang-kien.pdf", "pdf")
    ]

    # Another day, another browser session: the receipt and the phone number find it.
    browser.delete_all_cookies()
    browser = page("/tra-cuu/")
    _type(browser, "id_receipt", code.lower())
    _type(browser, "id_phone", "+84 912 345 678")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_until(browser, lambda b: "/tra-cuu/" + initiative.receipt in b.current_url)
    page_text = browser.find_element(By.TAG_NAME, "main").text
    assert "Cải tiến đồ gá hàn" in page_text
    assert "Đã nộp, chờ xác minh" in page_text
    assert "001190012345" not in browser.page_source
    assert "0912345678" not in browser.page_source


def test_description_over_the_limit_refused_and_the_rest_kept(country, page):
    browser = page(f"/chuong-trinh/{country.code}/nop/")

    _fill(browser, description="ế" * 2001)
    assert text_of(browser, "#description-counter") == "Vượt quá 1 ký tự, cần rút gọn"
    _submit(browser)

    wait_until(browser, lambda b: b.find_element(By.ID, "error-summary"))
    assert text_of(browser, "#id_description-error") == (
        "Phần mô tả dài 2001 ký tự, vượt quá giới hạn 2000 ký tự của chương trình. Vui lòng rút "
        "gọn 1 ký tự."
    )
    assert browser.switch_to.active_element.get_attribute("id") == "error-summary"
    assert browser.find_element(By.ID, "id_title").get_attribute("value") == "Cải tiến đồ gá hàn"
    assert browser.find_element(By.ID, "id_author_phone").get_attribute("value") == "0912 345 678"
    assert "Stanley" in text_of(browser, "#picker .chosen")
    assert browser.find_element(By.ID, "id_consent").is_selected()
    assert Initiative.objects.count() == 0
    # The summary links to the field.
    browser.find_element(By.CSS_SELECTOR, "#error-summary a[href='#id_description']").click()
    assert browser.switch_to.active_element.get_attribute("id") == "id_description"


def test_form_closed_one_second_after_the_deadline(country, page):
    browser = page(f"/chuong-trinh/{country.code}/nop/")
    _fill(browser)

    # The deadline passes while the person is still typing.
    closes = timezone.now() - timedelta(seconds=1)
    Program.objects.filter(pk=country.pk).update(submission_closes_at=closes)
    _submit(browser)

    wait_until(browser, lambda b: b.find_element(By.CSS_SELECTOR, ".notice.closed"))
    assert "Chương trình đã hết thời gian nhận sáng kiến" in text_of(browser, ".notice.closed")
    assert browser.find_element(By.ID, "id_title").get_attribute("value") == "Cải tiến đồ gá hàn"
    assert Initiative.objects.count() == 0


def test_double_click_makes_one_initiative(country, page):
    browser = page(f"/chuong-trinh/{country.code}/nop/")
    _fill(browser)

    browser.execute_script(
        "var b = document.getElementById('submit-button'); b.click(); b.click();"
    )
    wait_until(browser, lambda b: "/bien-nhan/" in b.current_url)
    first = browser.current_url
    # Back to the form as the browser kept it, and send it again: the same receipt.
    browser.back()
    wait_until(browser, lambda b: b.find_element(By.ID, "submit-button"))
    browser.execute_script("document.getElementById('submission-form').submit()")
    wait_until(browser, lambda b: "/bien-nhan/" in b.current_url)

    assert Initiative.objects.count() == 1
    assert browser.current_url == first
