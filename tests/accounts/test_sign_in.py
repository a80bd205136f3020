"""Officers sign in with a password, are locked out after repeated failures, and may use TOTP."""

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from sangkien.accounts.models import LoginAttempt, TOTPDevice
from sangkien.accounts.services import sign_in, totp_confirm, totp_start
from tests.conftest import PASSWORD

LOGIN = reverse("office:login")


def test_sign_in_with_the_right_password_succeeds(national, make_officer):
    officer = make_officer("gialam", "T01-D018")

    result = sign_in(username="gialam", password=PASSWORD, ip="10.0.0.1")

    assert result.officer == officer
    assert result.error == ""


def test_sign_in_with_a_wrong_password_says_so_in_vietnamese(national, make_officer):
    make_officer("gialam", "T01-D018")

    result = sign_in(username="gialam", password="sai", ip="10.0.0.1")

    assert result.officer is None
    assert result.error == "Tên đăng nhập hoặc mật khẩu không đúng."


def test_five_failures_lock_the_account_even_for_the_right_password(
    national, make_officer, settings
):
    settings.LOGIN_MAX_FAILURES = 5
    make_officer("gialam", "T01-D018")
    for _ in range(5):
        sign_in(username="gialam", password="sai", ip="10.0.0.1")

    result = sign_in(username="gialam", password=PASSWORD, ip="10.0.0.2")

    assert result.officer is None
    assert (
        result.error
        == "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút."
    )
    assert LoginAttempt.objects.filter(succeeded=True).count() == 0


def test_lockout_ends_after_the_window(national, make_officer, settings):
    settings.LOGIN_MAX_FAILURES = 2
    make_officer("gialam", "T01-D018")
    for _ in range(2):
        sign_in(username="gialam", password="sai", ip="10.0.0.1")
    LoginAttempt.objects.update(at="2000-01-01T00:00:00Z")

    assert sign_in(username="gialam", password=PASSWORD, ip="10.0.0.1").officer is not None


def test_login_page_signs_in_and_refuses_with_message_next_to_form(national, make_officer):
    make_officer("gialam", "T01-D018")
    client = Client()

    refused = client.post(LOGIN, {"username": "gialam", "password": "sai"})
    accepted = client.post(LOGIN, {"username": "gialam", "password": PASSWORD})

    assert refused.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in refused.content.decode()
    assert 'value="gialam"' in refused.content.decode()
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("office:home")


def test_login_does_not_redirect_to_another_site(national, make_officer):
    make_officer("gialam", "T01-D018")

    response = Client().post(
        LOGIN + "?next=https://evil.example/", {"username": "gialam", "password": PASSWORD}
    )

    assert response["Location"] == reverse("office:home")


def test_totp_officer_needs_the_code_after_the_password(national, make_officer):
    officer = make_officer("quantri", "TLD", "national_admin")
    device = totp_start(officer=officer)
    totp = pyotp.TOTP(device.secret)
    assert totp_confirm(officer=officer, code=totp.at(time.time() - 30)) is True

    without = sign_in(username="quantri", password=PASSWORD)
    wrong = sign_in(
        username="quantri", password=PASSWORD, otp="000000" if totp.now() != "000000" else "111111"
    )
    right = sign_in(username="quantri", password=PASSWORD, otp=totp.now())

    assert (without.officer, without.needs_otp) == (None, True)
    assert without.error == "Nhập mã xác thực 6 chữ số từ ứng dụng xác thực."
    assert wrong.officer is None
    assert wrong.error == "Mã xác thực không đúng hoặc đã hết hạn."
    assert right.officer == officer


def test_a_totp_code_cannot_be_replayed(national, make_officer):
    officer = make_officer("quantri", "TLD", "national_admin")
    device = totp_start(officer=officer)
    totp = pyotp.TOTP(device.secret)
    totp_confirm(officer=officer, code=totp.at(time.time() - 30))
    code = totp.now()

    first = sign_in(username="quantri", password=PASSWORD, otp=code)
    replay = sign_in(username="quantri", password=PASSWORD, otp=code)

    assert first.officer == officer
    assert replay.officer is None
    assert TOTPDevice.objects.get(officer=officer).confirmed is True


def test_totp_setup_page_shows_a_qr_code(national, make_officer, client_for):
    officer = make_officer("quantri", "TLD", "national_admin")

    response = client_for(officer).get(reverse("office:totp"))

    assert response.status_code == 200
    assert "<svg" in response.content.decode()
    assert TOTPDevice.objects.get(officer=officer).confirmed is False


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production_settings():
    from django.conf import settings as django_settings

    from sangkien import settings as project_settings

    assert (
        project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    assert django_settings.AUTH_USER_MODEL == "accounts.Officer"
