"""A national administrator in headless Chromium drills down the dashboards: the federation,
Hà Nội, Gia Lâm, then Stanley, seeing each unit's own figures, and climbs back by the breadcrumb."""

import os

import pytest
from selenium.webdriver.common.by import By

from sangkien.orgs.models import Unit
from tests.browser.conftest import text_of, wait_until
from tests.conftest import PASSWORD
from tests.targets.conftest import submit_many  # noqa: F401 -- the fixture, used below

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def drill(national, open_program, submit_many, make_officer, add_grassroots):  # noqa: F811
    """Different figures at every level: Stanley 2, Gia Lâm 3, Hà Nội 4, the federation 8."""
    make_officer("quantri", "TLD", "national_admin")
    submit_many(Unit.objects.get(code="T01-D018-C001"), 2)  # Stanley
    submit_many(Unit.objects.get(code="T01-D018-C002"), 1)  # Lixil, also in Gia Lâm
    submit_many(add_grassroots("T01-D004", 1)[0], 1)  # a union of Long Biên, also in Hà Nội
    submit_many(add_grassroots("N03-X01", 1)[0], 4)  # under a central sector union


def _sign_in(page, username):
    browser = page("/office/dang-nhap/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_until(browser, lambda b: "/dang-nhap/" not in b.current_url)
    return browser


def _open_child(browser, name: str, code: str):
    browser.find_element(By.LINK_TEXT, name).click()
    wait_until(browser, lambda b: f"/office/thong-ke/{code}/" in b.current_url)
    return browser


def test_national_admin_drills_down_to_a_grassroots_union(drill, page):
    browser = _sign_in(page, "quantri")
    browser = page("/office/thong-ke/")

    wait_until(browser, lambda b: "/office/thong-ke/TLD/" in b.current_url)
    assert "Tổng Liên đoàn Lao động Việt Nam" in text_of(browser, "h1")
    assert text_of(browser, "#total") == "8"
    assert "Liên đoàn Lao động thành phố Hà Nội" in text_of(browser, "#children-table")

    _open_child(browser, "Liên đoàn Lao động thành phố Hà Nội", "T01")
    assert "Liên đoàn Lao động thành phố Hà Nội" in text_of(browser, "h1")
    assert text_of(browser, "#total") == "4"

    _open_child(browser, "Liên đoàn Lao động huyện Gia Lâm", "T01-D018")
    assert text_of(browser, "#total") == "3"
    rows = {
        row.get_attribute("data-code"): row.text
        for row in browser.find_elements(By.CSS_SELECTOR, "#children-table tbody tr")
    }
    assert set(rows) == {"T01-D018-C001", "T01-D018-C002"}
    assert "Công đoàn Công ty TNHH SX, DV, TM sản phẩm da Ladodda" in text_of(browser, "#without")

    _open_child(browser, "Công đoàn Công ty TNHH điện Stanley Việt Nam", "T01-D018-C001")
    assert text_of(browser, "#total") == "2"
    assert "Công đoàn cơ sở không có đơn vị trực thuộc." in text_of(browser, "#children")
    # The charts are drawn inline and shown (no script, no request for them).
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 8
    assert all(chart.size["width"] > 300 for chart in charts)
    if os.environ.get("DASHBOARD_SCREENSHOT"):
        browser.save_screenshot(os.environ["DASHBOARD_SCREENSHOT"])

    browser.find_element(By.CSS_SELECTOR, "#crumbs a[href*='/T01-D018/']").click()
    wait_until(browser, lambda b: "/office/thong-ke/T01-D018/" in b.current_url)
    assert text_of(browser, "#total") == "3"
