"""Zones are edited by HSE administrators in the Django admin. Applications,
documents and permits are not shown here: health information is read only
through the app's own, logged screens."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from parking.models import HealthDataRead, Zone
from parking.services.allocation import zone_capacity_changed


class ZoneForm(forms.ModelForm):
    class Meta:
        model = Zone
        fields = ["name", "code", "campus", "description", "capacity", "active"]

    def clean_capacity(self):
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk and capacity < self.instance.occupied:
            raise forms.ValidationError(
                _("%(used)d spots are in use (active permits and open offers). Revoke "
                  "permits before lowering the number of spots below that."),
                params={"used": self.instance.occupied},
            )
        return capacity


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    form = ZoneForm
    list_display = ["name", "campus", "capacity", "occupied", "active"]
    list_filter = ["campus", "active"]
    search_fields = ["name", "campus", "code"]
    readonly_fields = ["occupied"]
    prepopulated_fields = {"code": ["name"]}

    def has_delete_permission(self, request, obj=None):
        return False  # permits and decisions refer to zones: close one instead

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            if change:
                # Never write back the counter read with the form: grants may
                # have changed it since. The check constraint still refuses a
                # capacity below spots taken in the meantime.
                obj.save(update_fields=ZoneForm.Meta.fields)
            else:
                obj.save()
            if "capacity" in form.changed_data:
                # New spots go to the waiting list at once.
                zone_capacity_changed(obj.pk)


@admin.register(HealthDataRead)
class HealthDataReadAdmin(admin.ModelAdmin):
    """The read log, for whoever is given ``parking.view_healthdataread``
    (e.g. the data protection officer). It names who read what and when,
    never the content."""

    list_display = ["at", "reader", "what", "application", "document", "allowed"]
    list_filter = ["what", "allowed"]
    search_fields = ["reader__username", "application__case__reference"]
    list_select_related = ["reader", "application__case", "document"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
