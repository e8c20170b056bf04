"""Subscribers in the admin: counts per list for staff who may view them, the
addresses only for superusers (who may delete one, on the subscriber's word)."""

from django.contrib import admin
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from alerts.models import Delivery, Subscription

# The queue library's own page cannot be translated; the state of the alerts'
# mail is on the subscriptions page instead (sending_counts).
admin.site.unregister(DBTaskResult)


class ConfirmedFilter(admin.SimpleListFilter):
    title = _("confirmed")
    parameter_name = "confirmed"

    def lookups(self, request, model_admin):
        return [("yes", _("Confirmed")), ("no", _("Not confirmed yet"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(confirmed_at__isnull=self.value() == "no")
        return queryset


def sending_counts():
    """[(state label, number of mails)] of every state, in the order they pass."""
    numbers = dict(
        Delivery.objects.values_list("state").annotate(Count("pk")).order_by()
    )
    return [(label, numbers.get(state, 0)) for state, label in Delivery.State.choices]


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
        counts = {
            "counts": Subscription.objects.counts_per_list(),
            "sending": sending_counts(),
        }
        if request.user.is_superuser:
            extra_context = {**(extra_context or {}), **counts}
            return super().changelist_view(request, extra_context)
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # refuses
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Subscribers per list"),
            **counts,
        }
        return TemplateResponse(
            request, "admin/alerts/subscription/lists.html", context
        )
