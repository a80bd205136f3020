"""The Django admin, for national administrators only."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from sangkien.accounts.models import ApiToken, Officer, Role
from sangkien.accounts.rules import is_national_admin
from sangkien.common.models import AuditEntry
from sangkien.orgs.models import Cluster, ClusterMembership, Unit, UnitPlacement, UnitSuccession
from sangkien.programs.models import ForwardingQuota, Phase, Program, ProgramOption
from sangkien.review.models import Criterion


class NationalAdminSite(admin.AdminSite):
    site_header = _("Quản trị Sáng kiến Công đoàn")
    site_title = _("Quản trị")
    index_title = _("Cấu hình toàn quốc")
    login_template = None

    def has_permission(self, request) -> bool:
        return request.user.is_active and is_national_admin(request.user)


admin_site = NationalAdminSite(name="admin")


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class OptionInline(admin.TabularInline):
    model = ProgramOption
    extra = 0


class QuotaInline(admin.TabularInline):
    model = ForwardingQuota
    extra = 0


class CriterionInline(admin.TabularInline):
    """The scoring rubric: each criterion's weight and scale (Thang điểm chấm sáng kiến)."""

    model = Criterion
    extra = 0


class FullAccess:
    """National administrators hold every permission on the configuration they administer."""

    def has_module_permission(self, request):
        return admin_site.has_permission(request)

    def has_view_permission(self, request, obj=None):
        return admin_site.has_permission(request)

    def has_add_permission(self, request, *args):
        return admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None):
        return admin_site.has_permission(request)

    def has_delete_permission(self, request, obj=None):
        return admin_site.has_permission(request)


class ReadOnly(FullAccess):
    """Changed through services (which keep history and audit), so read-only here."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Program, site=admin_site)
class ProgramAdmin(FullAccess, admin.ModelAdmin):
    list_display = [
        "code",
        "short_name",
        "submission_opens_at",
        "submission_closes_at",
        "is_published",
    ]
    inlines = [PhaseInline, OptionInline, QuotaInline, CriterionInline]
    search_fields = ["code", "name"]


@admin.register(Unit, site=admin_site)
class UnitAdmin(ReadOnly, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "level",
        "kind",
        "block",
        "member_count",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["level", "kind", "block", "is_demo"]
    search_fields = ["code", "search_name"]


@admin.register(UnitPlacement, site=admin_site)
class PlacementAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["unit", "parent", "path", "valid_from", "valid_to"]
    raw_id_fields = ["unit", "parent"]


@admin.register(UnitSuccession, site=admin_site)
class SuccessionAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["predecessor", "successor", "kind", "effective_on"]


class MembershipInline(admin.TabularInline):
    model = ClusterMembership
    raw_id_fields = ["unit"]
    extra = 0


@admin.register(Cluster, site=admin_site)
class ClusterAdmin(FullAccess, admin.ModelAdmin):
    list_display = ["code", "name", "organiser"]
    inlines = [MembershipInline]
    raw_id_fields = ["organiser"]


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "officer"
    raw_id_fields = ["unit", "granted_by"]
    extra = 0


@admin.register(Officer, site=admin_site)
class OfficerAdmin(FullAccess, UserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "full_name", "is_active", "last_login"]
    fieldsets = (*UserAdmin.fieldsets, (_("Thông tin cán bộ"), {"fields": ("full_name", "phone")}))


@admin.register(ApiToken, site=admin_site)
class ApiTokenAdmin(FullAccess, admin.ModelAdmin):
    list_display = ["prefix", "officer", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "officer", "created_at", "last_used_at"]

    def has_add_permission(self, request, *args):
        return False  # tokens are issued by their owner, who alone sees the plain value


@admin.register(AuditEntry, site=admin_site)
class AuditAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id"]
    list_filter = ["action"]
