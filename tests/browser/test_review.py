"""An officer of Gia Lâm in headless Chromium: the queue worked from the keyboard, the filters
refreshing the results in place, a refused then accepted decision on the detail page."""

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from sangkien.initiatives.enums import Status
from sangkien.initiatives.models import Initiative
from tests.browser.conftest import text_of, wait_until
from tests.conftest import PASSWORD, valid_form_data
from tests.fakes import RecordingSender
from tests.initiatives.helpers import submit

pytestmark = pytest.mark.django_db(transaction=True)

PRESS = "Cải tiến máy ép nhựa giảm phế phẩm"
JIG = "Đồ gá hàn định vị nhanh cho dây chuyền lắp ráp"
BELT = "Băng tải tự động phân loại linh kiện"


@pytest.fixture
def stanley(national, open_program, make_officer, settings):
    """Three submitted initiatives of Stanley (in this order: the press, the jig, the belt) and
    a reviewer of Gia Lâm, the district above it."""
    settings.NOTIFY_BACKENDS = ["tests.fakes.RecordingSender"]
    RecordingSender.sent.clear()
    make_officer("gialam", "T01-D018", "unit_admin")
    made = {
        title: submit(
            open_program,
            valid_form_data(open_program, title=title, description=description),
            send_receipt=False,
        )
        for title, description in (
            (PRESS, "Lắp bộ điều khiển nhiệt cho khuôn, giảm 15% sản phẩm lỗi."),
            (JIG, "Đồ gá định vị nhanh, giảm 20% thời gian lắp ráp."),
            (BELT, "Cảm biến quang phân loại linh kiện lỗi ngay trên băng tải."),
        )
    }
    yield made
    RecordingSender.sent.clear()


def _sign_in(page, username):
    browser = page("/office/dang-nhap/")
    browser.find_element(By.ID, "id_username").send_keys(username)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_until(browser, lambda b: "/dang-nhap/" not in b.current_url)
    return browser


def _keys(browser, *keys):
    """Type on whatever has the focus, as a person at the keyboard would."""
    ActionChains(browser).send_keys(*keys).perform()


def _rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, "#queue-results tbody tr")


def test_officer_decides_two_rows_from_the_keyboard(stanley, page):
    browser = _sign_in(page, "gialam")
    browser = page("/office/sang-kien/")
    wait_until(browser, lambda b: len(_rows(b)) == 3)
    ids = [int(row.find_element(By.NAME, "ids").get_attribute("value")) for row in _rows(browser)]
    # Newest first: the belt, the jig, then the press.
    assert ids == [stanley[BELT].pk, stanley[JIG].pk, stanley[PRESS].pk]

    _keys(browser, "j")
    first = _rows(browser)[0]
    assert "focused" in first.get_attribute("class")
    assert browser.switch_to.active_element.get_attribute("value") == str(ids[0])
    _keys(browser, "x", "j", "x")
    picked = [box.is_selected() for box in browser.find_elements(By.NAME, "ids")]
    assert picked == [True, True, False]
    _keys(browser, "h")
    assert browser.find_element(By.ID, "bulk-eligible").is_selected()
    assert text_of(browser, "label[for=bulk-eligible]") == "Hợp lệ"
    assert browser.switch_to.active_element.get_attribute("id") == "bulk-message"
    # Enter in the message field sends the bulk form.
    _keys(browser, Keys.ENTER)

    assert wait_until(
        browser, lambda b: "Đã ghi quyết định cho 2 sáng kiến." in text_of(b, ".messages")
    )
    assert "/office/sang-kien/" in browser.current_url
    statuses = dict(Initiative.objects.values_list("pk", "status"))
    assert statuses == {
        stanley[BELT].pk: Status.ELIGIBLE,
        stanley[JIG].pk: Status.ELIGIBLE,
        stanley[PRESS].pk: Status.SUBMITTED,
    }


def test_search_without_accents_refreshes_the_results_in_place(stanley, page):
    browser = _sign_in(page, "gialam")
    browser = page("/office/sang-kien/")
    wait_until(browser, lambda b: len(_rows(b)) == 3)
    browser.execute_script("window.queueMarker = 'same page';")

    browser.find_element(By.CSS_SELECTOR, "details.filters summary").click()
    field = browser.find_element(By.ID, "id_q")
    field.send_keys("may ep")
    field.send_keys(Keys.ENTER)

    wait_until(browser, lambda b: "q=may+ep" in b.current_url and len(_rows(b)) == 1)
    # The results were fetched and swapped: the script state lives on, the URL was pushed.
    assert browser.execute_script("return window.queueMarker") == "same page"
    assert browser.current_url.split("?")[0].endswith("/office/sang-kien/")
    assert browser.execute_script("return history.state && history.state.queue") is not None
    assert PRESS in _rows(browser)[0].text
    assert JIG not in browser.page_source
    assert browser.find_element(By.ID, "id_q").get_attribute("value") == "may ep"


def test_decision_refused_without_a_message_then_recorded(stanley, page):
    initiative = stanley[JIG]
    message = "Giải pháp đã được Công ty áp dụng từ năm 2019, trước thời gian của chương trình."
    browser = _sign_in(page, "gialam")
    browser = page(f"/office/sang-kien/{initiative.receipt}/")
    decide = "form[action$='/xac-minh/']"

    browser.find_element(By.CSS_SELECTOR, "input[name=decision][value=not_eligible]").click()
    Select(browser.find_element(By.ID, "id_reason_code")).select_by_visible_text("Lý do khác")
    browser.find_element(By.CSS_SELECTOR, f"{decide} button[type=submit]").click()

    error = wait_until(browser, lambda b: b.find_element(By.ID, "id_message_error"))
    assert error.text == "Ghi rõ lý do khác."
    # Next to the message field: in its group, just before the text box.
    assert (
        browser.execute_script(
            "return document.getElementById('id_message_error').nextElementSibling.id"
        )
        == "id_message"
    )
    assert browser.find_element(
        By.CSS_SELECTOR, "input[name=decision][value=not_eligible]"
    ).is_selected()
    reason = Select(browser.find_element(By.ID, "id_reason_code"))
    assert reason.first_selected_option.text == "Lý do khác"
    initiative.refresh_from_db()
    assert initiative.status == Status.SUBMITTED

    browser.find_element(By.ID, "id_message").send_keys(message)
    browser.find_element(By.CSS_SELECTOR, f"{decide} button[type=submit]").click()

    assert wait_until(browser, lambda b: "Đã ghi quyết định xác minh." in text_of(b, ".messages"))
    assert browser.current_url.endswith(f"/office/sang-kien/{initiative.receipt}/")
    assert text_of(browser, "dl.facts .state") == "Không hợp lệ"
    initiative.refresh_from_db()
    assert initiative.status == Status.NOT_ELIGIBLE
    last = initiative.history.order_by("at", "pk").last()
    assert (last.to_status, last.reason_code, last.message) == (
        Status.NOT_ELIGIBLE,
        "other",
        message,
    )
