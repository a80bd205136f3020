"""Officers, roles, sign-in attempts, TOTP devices and API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangkien.accounts.enums import RoleKind
from sangkien.orgs.models import Unit


class Officer(AbstractUser):
    """Cán bộ: a person who signs in to the office. Members do not have accounts."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")

    def __str__(self) -> str:
        return self.full_name or self.username


class Role(models.Model):
    """Vai trò: a role on a unit, covering that unit's whole subtree."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="roles")
    kind = models.CharField(_("vai trò"), max_length=20, choices=RoleKind.choices)
    granted_by = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")
        constraints = [
            models.UniqueConstraint(fields=["officer", "unit", "kind"], name="role_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.get_kind_display()} — {self.unit}"


class LoginAttempt(models.Model):
    """One sign-in attempt; recent failures lock the username and the address."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="login_user_at_idx"),
            models.Index(fields=["ip", "at"], name="login_ip_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'ok' if self.succeeded else 'fail'}"


class TOTPDevice(models.Model):
    """A TOTP second factor (RFC 6238) for an officer; used once confirmed."""

    officer = models.OneToOneField(Officer, on_delete=models.CASCADE, related_name="totp")
    secret = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"TOTP {self.officer}"


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored; the token is shown once."""

    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.officer})"
