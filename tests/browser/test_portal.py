"""Through the real pages in headless Chromium: the home page and an officer in his subtree."""

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from sangkien.orgs.national import load_national_tree
from sangkien.programs.services import load_demo_program, load_seed_programs
from tests.browser.conftest import text_of, wait_until
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def country(transactional_db, make_officer):
    load_national_tree()
    load_seed_programs()
    load_demo_program(timezone.localdate())
    make_officer("gialam", "T01-D018", "unit_admin")
    make_officer("longbien", "T01-D004", "unit_admin")


def _sign_in(page, username):
    browser = page("/office/dang-nhap/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_until(
        browser,
        lambda b: (
            "/dang-nhap/" not in b.current_url or b.find_elements(By.CSS_SELECTOR, "[role=alert]")
        ),
    )
    return browser


def test_home_page_lists_programmes_and_which_is_open(country, page):
    browser = page("/")

    cards = browser.find_elements(By.CSS_SELECTOR, ".card")
    assert len(cards) == 3
    assert "Đang mở nhận sáng kiến" in cards[0].text
    assert "Đã đóng" in cards[1].text + cards[2].text
    browser.find_element(By.CSS_SELECTOR, "button[value=en]").click()
    assert wait_until(
        browser, lambda b: b.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    )


def test_officer_signs_in_and_walks_down_his_subtree(country, page):
    browser = _sign_in(page, "gialam")

    assert "Xin chào" in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.LINK_TEXT, "Liên đoàn Lao động huyện Gia Lâm").click()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith(
        "Liên đoàn Lao động huyện Gia Lâm"
    )
    browser.find_element(By.LINK_TEXT, "Công đoàn Công ty TNHH điện Stanley Việt Nam").click()
    crumbs = browser.find_element(By.CSS_SELECTOR, ".breadcrumb").text
    assert "Liên đoàn Lao động thành phố Hà Nội" in crumbs
    assert (
        "Công đoàn Công ty TNHH điện Stanley Việt Nam"
        in browser.find_element(By.TAG_NAME, "h1").text
    )


def test_officer_searches_without_accents(country, page):
    browser = _sign_in(page, "gialam")

    browser.find_element(By.ID, "q").send_keys("dien stanley")
    browser.find_element(By.CSS_SELECTOR, "form[role=search] button").click()

    assert wait_until(
        browser,
        lambda b: b.find_element(By.LINK_TEXT, "Công đoàn Công ty TNHH điện Stanley Việt Nam"),
    )


def test_officer_of_another_subtree_gets_not_found(country, page):
    _sign_in(page, "longbien")

    browser = page("/office/don-vi/T01-D018-C001/")

    assert wait_until(browser, lambda b: text_of(b, "h1") == "Không tìm thấy trang")
    assert "Stanley" not in browser.page_source


def test_wrong_password_is_said_next_to_the_form_and_keeps_the_username(country, page):
    browser = page("/office/dang-nhap/")
    browser.find_element(By.ID, "id_username").send_keys("gialam")
    browser.find_element(By.ID, "id_password").send_keys("sai-mat-khau")
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()

    assert (
        "Tên đăng nhập hoặc mật khẩu không đúng."
        in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    )
    assert browser.find_element(By.ID, "id_username").get_attribute("value") == "gialam"


def test_officer_restructures_a_unit_with_an_effective_date(country, page, make_officer):
    make_officer("hanoi", "T01", "unit_admin")
    browser = _sign_in(page, "hanoi")

    browser = page("/office/don-vi/T01-D018-C001/to-chuc-lai/")
    browser.find_element(By.CSS_SELECTOR, "input[value=move]").click()
    browser.find_element(By.ID, "id_target").send_keys("T01-D004")
    browser.find_element(By.ID, "id_effective_on").send_keys("01/12/2026")
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()

    assert wait_until(
        browser, lambda b: "Đã ghi thay đổi, có hiệu lực từ 01/12/2026." in text_of(b, ".messages")
    )
