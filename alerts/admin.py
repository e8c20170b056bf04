"""Subscribers in the admin: counts per list for staff who may view them, the
addresses only for superusers (who may delete one, on the subscriber's word)."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from alerts.models import Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "list_name", "frequency", "language", "confirmed_at"]
    list_filter = [
        "scope",
        "frequency",
        "language",
        ("confirmed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email"]
    readonly_fields = [
        "email", "scope", "topic", "municipality", "official", "release",
        "frequency", "language", "requested_at", "confirmed_at",
    ]  # fmt: skip
    exclude = ["token"]
    list_select_related = ["topic", "municipality", "official", "release"]

    @admin.display(description=_("list"))
    def list_name(self, subscription):
        return subscription.list_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        # Staff with the permission see the counts page; one subscription (its
        # address) only superusers.
        if obj is not None and not request.user.is_superuser:
            return False
        return super().has_view_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        counts = Subscription.objects.counts_per_list()
        if request.user.is_superuser:
            extra_context = {**(extra_context or {}), "counts": counts}
            return super().changelist_view(request, extra_context)
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # refuses
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Subscribers per list"),
            "counts": counts,
        }
        return TemplateResponse(
            request, "admin/alerts/subscription/lists.html", context
        )
