from django.contrib import admin

from anjian.accounts.models import SecurityPolicy


@admin.register(SecurityPolicy)
class SecurityPolicyAdmin(admin.ModelAdmin):
    list_display = ("password_min_length", "password_max_age_days", "lockout_failures", "session_idle_minutes")
