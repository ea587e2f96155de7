"""The committee's authenticators are not the superuser's to read.

django-otp's own admin shows each TOTP device's secret key: with it (and a
password reset) anyone with the admin could sign in as a committee member.
Here the devices are listed without their keys, and no device can be added
or changed through the admin.
"""

from django.contrib import admin
from django_otp.plugins.otp_totp.models import TOTPDevice

admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class KeylessTOTPDeviceAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at",
              "throttling_failure_count"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
