from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.models import Municipality, Official, Organization, Position
from releases import uploads


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "local_name", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "local_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "local_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "local_name"]
    prepopulated_fields = {"slug": ["name"]}
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class PositionInline(admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["municipality", "organization"]


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    formfield_overrides = uploads.ADMIN_FORMFIELDS
    list_display = ["name", "local_name", "current_posts"]
    search_fields = ["name", "local_name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [PositionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("positions__municipality", "positions__organization")
        )

    @admin.display(description=_("Current posts"))
    def current_posts(self, official):
        return ", ".join(
            str(position.post_name)
            for position in official.positions.all()
            if position.is_current
        )


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = [
        "official",
        "title",
        "municipality",
        "organization",
        "started_on",
        "ended_on",
    ]
    list_filter = ["title", "municipality"]
    list_select_related = ["official", "municipality", "organization"]
    search_fields = ["official__name", "official__local_name", "title"]
    autocomplete_fields = ["official", "municipality", "organization"]
