"""Writes for officers: sign-in with lockout and TOTP, roles, API tokens."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangkien.accounts.enums import RoleKind
from sangkien.accounts.models import ApiToken, LoginAttempt, Officer, Role, TOTPDevice
from sangkien.common.audit import audit
from sangkien.orgs.enums import Level
from sangkien.orgs.models import Unit

TOKEN_PREFIX = "sk_"


@dataclass
class SignIn:
    """The outcome of a sign-in attempt: the officer, or a Vietnamese message why not."""

    officer: Officer | None = None
    error: str = ""
    needs_otp: bool = False


def is_locked(*, username: str, ip: str | None) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    recent = LoginAttempt.objects.filter(at__gte=since, succeeded=False)
    by_user = recent.filter(username=username.lower()).count()
    by_ip = recent.filter(ip=ip).count() if ip else 0
    # An address is allowed more failures than one username: several officers share an office NAT.
    return by_user >= settings.LOGIN_MAX_FAILURES or by_ip >= 4 * settings.LOGIN_MAX_FAILURES


def sign_in(
    *, username: str, password: str, otp: str = "", ip: str | None = None, request=None
) -> SignIn:
    """Check a password (and a TOTP code when the officer has one); lock after repeated failures."""
    username = (username or "").strip()
    if is_locked(username=username, ip=ip):
        return SignIn(
            error=_(
                "Tài khoản tạm khoá do đăng nhập sai nhiều lần. Vui lòng thử lại sau %(minutes)s phút."
            )
            % {"minutes": settings.LOGIN_LOCKOUT_SECONDS // 60}
        )
    officer = authenticate(request, username=username, password=password)
    if officer is None:
        LoginAttempt.objects.create(username=username.lower(), ip=ip, succeeded=False)
        return SignIn(error=_("Tên đăng nhập hoặc mật khẩu không đúng."))
    device = TOTPDevice.objects.filter(officer=officer, confirmed=True).first()
    if device is not None:
        if not otp:
            return SignIn(
                needs_otp=True, error=_("Nhập mã xác thực 6 chữ số từ ứng dụng xác thực.")
            )
        if not verify_totp(device, otp):
            LoginAttempt.objects.create(username=username.lower(), ip=ip, succeeded=False)
            return SignIn(needs_otp=True, error=_("Mã xác thực không đúng hoặc đã hết hạn."))
    LoginAttempt.objects.create(username=username.lower(), ip=ip, succeeded=True)
    return SignIn(officer=officer)


def verify_totp(device: TOTPDevice, code: str) -> bool:
    """Accept the current 30-second code (±1 step for clock drift), each step at most once."""
    code = "".join(ch for ch in code if ch.isdigit())
    totp = pyotp.TOTP(device.secret)
    now = timezone.now()
    for drift in (0, -1, 1):
        at = now + timedelta(seconds=30 * drift)
        step = totp.timecode(at)
        if step > device.last_used_step and secrets.compare_digest(totp.at(at), code):
            device.last_used_step = step
            device.save(update_fields=["last_used_step"])
            return True
    return False


def totp_start(*, officer: Officer) -> TOTPDevice:
    """A new, unconfirmed secret for the officer to scan; replaces an unconfirmed one."""
    TOTPDevice.objects.filter(officer=officer, confirmed=False).delete()
    device, _created = TOTPDevice.objects.get_or_create(
        officer=officer, defaults={"secret": pyotp.random_base32()}
    )
    return device


@transaction.atomic
def totp_confirm(*, officer: Officer, code: str) -> bool:
    device = TOTPDevice.objects.select_for_update().filter(officer=officer).first()
    if device is None or not verify_totp(device, code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit(actor=officer, action="totp.enable", obj=officer)
    return True


def totp_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.officer.username, issuer_name="Sáng kiến Công đoàn"
    )


@transaction.atomic
def officer_create(*, username: str, password: str, full_name: str = "", actor=None) -> Officer:
    officer = Officer.objects.create_user(username=username, password=password, full_name=full_name)
    audit(actor=actor, action="officer.create", obj=officer, username=username)
    return officer


@transaction.atomic
def role_grant(*, officer: Officer, unit: Unit, kind: str, actor=None) -> Role:
    """Give `officer` a role on `unit`; a national administrator's role is on the federation."""
    if kind == RoleKind.NATIONAL_ADMIN and unit.level != Level.FEDERATION:
        raise ValueError(_("Vai trò quản trị toàn quốc chỉ gán trên Tổng Liên đoàn."))
    role, created = Role.objects.get_or_create(
        officer=officer,
        unit=unit,
        kind=kind,
        defaults={"granted_by": actor if getattr(actor, "pk", None) else None},
    )
    if kind == RoleKind.NATIONAL_ADMIN and not officer.is_staff:
        officer.is_staff = True  # the Django admin is for national administrators
        officer.save(update_fields=["is_staff"])
    if created:
        audit(
            actor=actor,
            action="role.grant",
            obj=role,
            officer=officer.username,
            unit=unit.code,
            kind=kind,
        )
    return role


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def token_issue(*, officer: Officer, name: str = "") -> tuple[ApiToken, str]:
    """A new API token; the plain token is returned once and never stored."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        officer=officer, name=name, prefix=plain[:10], key_hash=_hash(plain)
    )
    audit(actor=officer, action="token.issue", obj=token)
    return token, plain


def token_lookup(plain: str) -> ApiToken | None:
    """The live token for a bearer string (revoked tokens and inactive officers get None)."""
    if not plain or not plain.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("officer")
        .filter(key_hash=_hash(plain), revoked_at__isnull=True, officer__is_active=True)
        .first()
    )
    if token is not None:
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(actor=actor, action="token.revoke", obj=token)


def tokens_of(officer: Officer):
    return (
        ApiToken.objects.filter(officer=officer)
        .filter(Q(revoked_at__isnull=True))
        .order_by("-created_at")
    )
