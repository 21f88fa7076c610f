from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from anjian.orgs.models import OrgUnit, RoleAssignment, User


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "uscc", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "uscc")
    readonly_fields = ("path",)


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "real_name", "unit", "is_active")
    search_fields = ("username", "real_name")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Anjian", {"fields": ("real_name", "unit", "phone", "enforcement_cert_no", "must_change_password")}),
    )
    inlines = [RoleAssignmentInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit", "scope")
    list_filter = ("role", "scope")
