from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from js_asset import Media
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from releases import (
    charts,
    desk,
    photos,
    previews,
    readable,
    reports,
    suggestions,
    uploads,
    workflow,
)
from releases.exports import csv_response
from releases.forms import (
    TRANSITION_FORMS,
    TRANSITION_LABELS,
    ReleaseAdminForm,
    ReportRangeForm,
    run_transition,
)
from releases.models import (
    Attachment,
    DailyHits,
    PhotoLicence,
    Release,
    ReleaseImage,
    Topic,
)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "local_name"]
    search_fields = ["name", "local_name"]
    prepopulated_fields = {"slug": ["name"]}


class ReleasePartInline:
    """Images and attachments can be changed only by whoever may edit the release
    (mixed into an inline)."""

    extra = 0
    formfield_overrides = uploads.ADMIN_FORMFIELDS

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and self._may_edit(request, obj)

    def _may_edit(self, request, release):
        return release is None or workflow.can_edit(request.user, release)


class ReleaseImageInline(ReleasePartInline, admin.StackedInline):
    # Stacked: a photo has more to say (caption, credit, licence) than a row holds.
    model = ReleaseImage
    fields = [("image", "order"), "alt_text", "caption", ("credit", "licence")]

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "licence":  # the empty choice says what it means
            usual = PhotoLicence(settings.PHOTO_LICENCE).label
            kwargs["choices"] = [
                ("", _("The office's usual licence: %(licence)s") % {"licence": usual}),
                *PhotoLicence.choices,
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class AttachmentInline(ReleasePartInline, admin.TabularInline):
    model = Attachment
    fields = ["file", "title", "file_type", "size", "text_version"]
    readonly_fields = ["file_type", "size", "text_version"]

    @admin.display(description=_("text version"))
    def text_version(self, attachment):
        """Whether readers get its text in the browser, and if not, why."""
        label = attachment.get_text_status_display()
        problem = readable.problem_of(attachment)
        return f"{label}: {problem}" if problem else label


class HistoryChanges(HistoricalRecordContextHelper):
    """A release's history as staff read it: changed tags as their names
    ("Suwon, Yongin"), no tags as "—"."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "—"
        return value


class StatusFilter(admin.SimpleListFilter):
    """Status as staff read it: a scheduled release is not yet published."""

    title = _("status")
    parameter_name = "status"
    SCHEDULED = "scheduled"
    CHOICES = [
        (Release.Status.DRAFT, Release.Status.DRAFT.label),
        (Release.Status.IN_REVIEW, Release.Status.IN_REVIEW.label),
        (SCHEDULED, _("Scheduled")),
        (Release.Status.PUBLISHED, Release.Status.PUBLISHED.label),
        (Release.Status.WITHDRAWN, Release.Status.WITHDRAWN.label),
    ]

    def lookups(self, request, model_admin):
        return self.CHOICES

    def queryset(self, request, queryset):
        if self.value() == self.SCHEDULED:
            return queryset.scheduled()
        if self.value() == Release.Status.PUBLISHED:
            return queryset.published()
        if self.value() in Release.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class WrittenByFilter(admin.SimpleListFilter):
    title = _("written by")
    parameter_name = "written_by"

    def lookups(self, request, model_admin):
        return [("me", _("you"))]

    def queryset(self, request, queryset):
        if self.value() == "me":
            return queryset.filter(desk.written_by(request.user))
        return queryset


@admin.register(Release)
class ReleaseAdmin(SimpleHistoryAdmin):
    form = ReleaseAdminForm
    formfield_overrides = uploads.ADMIN_FORMFIELDS
    list_display = [
        "number",
        "title",
        "status_now",
        "published_at",
        "hit_count",
        "language",
    ]
    list_display_links = ["number", "title"]
    list_filter = [
        StatusFilter,
        WrittenByFilter,
        "language",
        "topics",
        "municipalities",
        "published_at",
    ]
    list_select_related = ["department"]
    search_fields = ["title", "summary", "=number"]
    date_hierarchy = "published_at"
    autocomplete_fields = [
        "department",
        "officials",
        "municipalities",
        "topics",
        "organizations",
        "translation_of",
    ]
    prepopulated_fields = {"slug": ["title"]}
    # Status and dates change only through the workflow buttons (workflow.py).
    readonly_fields = [
        "number", "status_now", "published_at", "submitted_by", "published_by",
        "withdrawn_at", "withdrawal_reason", "last_major_update_at", "change_note",
        "hit_count", "legacy_hits", "created_at", "updated_at",
    ]  # fmt: skip
    inlines = [ReleaseImageInline, AttachmentInline]
    history_list_display = ["restore_link"]
    object_history_list_template = "admin/releases/release/history_list.html"
    fieldsets = [
        (None, {"fields": ["number", "title", "slug", "language", "translation_of"]}),
        (None, {"fields": ["summary", "body"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    "status_now",
                    "published_at",
                    "submitted_by",
                    "published_by",
                    "last_major_update_at",
                    "change_note",
                    "withdrawn_at",
                    "withdrawal_reason",
                ]
            },
        ),
        (
            _("Issued by"),
            {
                "fields": [
                    "department",
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                ]
            },
        ),
        (_("Lead image"), {"fields": ["lead_image", "lead_image_alt"]}),
        (
            _("Tags"),
            {"fields": ["topics", "municipalities", "officials", "organizations"]},
        ),
        (
            _("Figures"),
            {"fields": ["hit_count", "legacy_hits", "created_at", "updated_at"]},
        ),
    ]
    change_form_template = "admin/releases/release/change_form.html"

    class Media:
        js = ["js/tag-suggestions.js", "js/body-editor-labels.js"]
        css = {"all": ["css/body-editor.css"]}

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj and obj.is_live and self._may_edit(request, obj):
            change = (
                _("This edit"),
                {"fields": ["is_major_change", "major_change_note"]},
            )
            fieldsets = [*fieldsets, change]
        return [*fieldsets[:1], (None, {"fields": ["seen_revision"]}), *fieldsets[1:]]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit(request.user, obj))

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        super().save_model(request, obj, form, change)
        if form.cleaned_data.get("is_major_change"):
            workflow.record_edit(
                obj, request.user, True, form.cleaned_data["major_change_note"]
            )

    def render_change_form(self, request, context, *args, **kwargs):
        # The body editor's import map is an inline script: it carries the
        # page's CSP nonce.
        context["media"] = Media.from_media(context["media"], nonce=request.csp_nonce)
        return super().render_change_form(request, context, *args, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            release = self.get_object(request, object_id)
            if release:
                daily = reports.release_daily(release)
                downloads, download_days = reports.release_downloads(release)
                extra_context["figures"] = {
                    "bars": charts.daily_bars(daily),
                    "chart_size": (charts.WIDTH, charts.HEIGHT),
                    "rank": reports.rank_in_month(release),
                    "counted": sum(hits for _day, hits in daily),
                    "downloads": downloads,
                    "download_days": download_days,
                }
                extra_context["suggestions"] = suggestions.untagged_mentions(release)
                extra_context["can_link_preview"] = previews.can_link(release)
                extra_context["transitions"] = [
                    (name, TRANSITION_LABELS[name])
                    for name in workflow.allowed_transitions(request.user, release)
                ]
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_view_on_site_url(self, obj=None):
        """A release not public yet is seen on the site through its preview."""
        if obj is not None and (obj.is_live or obj.is_withdrawn):
            return super().get_view_on_site_url(obj)
        if obj is not None:
            return reverse("admin:releases_release_preview", args=[obj.pk])
        return None

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryChanges(self.model, historical_record)

    def history_view_title(self, request, obj):
        return _("History of %(release)s") % {"release": obj}

    @admin.display(description=_("status"), ordering="status")
    def status_now(self, release):
        return release.status_label

    @admin.display(description=_("Restore"))
    def restore_link(self, record):
        url = reverse(
            "admin:releases_release_restore_version",
            args=[record.id, record.history_id],
        )
        return format_html('<a href="{}">{}</a>', url, _("Restore this text…"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/transition/<str:name>/",
                view(self.transition_view),
                name="releases_release_transition",
            ),
            path("<int:pk>/preview/", view(self.preview_view),
                 name="releases_release_preview"),
            path("<int:pk>/preview-link/", view(self.preview_link_view),
                 name="releases_release_preview_link"),
            path("<int:pk>/photos/pick/", view(self.photo_picker_view),
                 name="releases_release_photo_picker"),
            path("<int:pk>/restore-version/<int:history_id>/",
                 view(self.restore_version_view),
                 name="releases_release_restore_version"),
            *super().get_urls(),
        ]  # fmt: skip

    def transition_view(self, request, pk, name):
        release = get_object_or_404(Release, pk=pk)
        if name not in TRANSITION_LABELS:
            raise PermissionDenied
        form_class = TRANSITION_FORMS.get(name)
        form = form_class(request.POST or None) if form_class else None
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                run_transition(name, release, request.user, form)
            except (PermissionDenied, ValidationError) as error:
                message = (
                    error.messages[0] if hasattr(error, "messages") else str(error)
                )
                self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(request, _("Done: %s") % TRANSITION_LABELS[name])
                return redirect(self._change_url(release))
        return TemplateResponse(
            request,
            "admin/releases/release/transition.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "release": release,
                "title": TRANSITION_LABELS[name],
                "form": form,
                "change_url": self._change_url(release),
            },
        )

    def preview_view(self, request, pk):
        release = get_object_or_404(Release, pk=pk)
        if not self.has_view_permission(request, release):
            raise PermissionDenied
        return previews.render(request, release)

    def preview_link_view(self, request, pk):
        release = get_object_or_404(Release, pk=pk)
        if request.method != "POST" or not self.has_view_permission(request, release):
            raise PermissionDenied
        if not previews.can_link(release):
            self.message_user(
                request,
                _("This release is public: share its address instead."),
                messages.ERROR,
            )
            return redirect(self._change_url(release))
        url = request.build_absolute_uri(previews.link(release))
        self.message_user(
            request,
            _("Preview link, valid for %(days)s days or until published: %(url)s")
            % {"days": settings.PREVIEW_LINK_DAYS, "url": url},
        )
        return redirect(self._change_url(release))

    def photo_picker_view(self, request, pk):
        """The release's photos, for the body editor's image dialog (Browse…):
        the one chosen is placed in the text with its alt text and caption."""
        release = get_object_or_404(Release, pk=pk)
        if not workflow.can_edit(request.user, release):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose a photo of this release"),
            "release": release,
            "photos": photos.gallery(release),
            "callback": request.GET.get("CKEditorFuncNum", "")[:10],
        }
        return TemplateResponse(
            request, "admin/releases/release/photo_picker.html", context
        )

    def restore_version_view(self, request, pk, history_id):
        release = get_object_or_404(Release, pk=pk)
        version = get_object_or_404(release.history, history_id=history_id)
        if request.method == "POST":
            try:
                workflow.restore_version(release, history_id, request.user)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, _("The earlier text is back."))
            return redirect(self._change_url(release))
        return TemplateResponse(
            request,
            "admin/releases/release/restore_version.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "release": release,
                "version": version,
                "changes": workflow.restoring_changes(release, version),
                "title": _("Restore an earlier text"),
                "change_url": self._change_url(release),
            },
        )

    def _may_edit(self, request, obj):
        return workflow.can_edit(request.user, obj)

    def _change_url(self, release):
        return reverse("admin:releases_release_change", args=[release.pk])


@admin.register(DailyHits)
class DailyHitsAdmin(admin.ModelAdmin):
    list_display = ["release", "day", "hits"]
    list_select_related = ["release"]
    date_hierarchy = "day"
    search_fields = ["release__title", "=release__number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The report page lists the releases read most; its CSV and the command, all.
REPORT_TOP_RELEASES = 20


def hit_report_view(request):
    """The hit report: analysts and editors see all releases, writers their own."""
    scope = reports.releases_whose_figures(request.user)  # or PermissionDenied
    form = ReportRangeForm(request.GET or {"period": "last_30_days"})
    context = {
        **admin.site.each_context(request),
        "title": _("Hit report"),
        "form": form,
        "is_own_only": scope is not reports.ALL_RELEASES,
    }
    if form.is_valid():
        date_range = form.cleaned_data["range"]
        with reports.RangeReport(date_range, scope) as report:
            tables = report.tables()
            current = report.summary
        wanted = request.GET.get("csv")
        if wanted in tables:
            name = f"hits-{wanted}-{date_range.start}-{date_range.end}.csv"
            return csv_response(name, *tables[wanted])
        previous_total = reports.total_hits(date_range.previous(), scope)
        photo_downloads = sum(row[-1] for row in tables["downloads"][1])
        header, rows = tables["release"]
        releases_hidden = 0
        if not request.GET.get("all_releases"):
            releases_hidden = max(len(rows) - REPORT_TOP_RELEASES, 0)
            tables["release"] = (header, rows[:REPORT_TOP_RELEASES])
        context.update(
            releases_hidden=releases_hidden,
            releases_shown=REPORT_TOP_RELEASES,
            date_range=date_range,
            summary=current,
            photo_downloads=photo_downloads,
            previous_total=previous_total,
            change=reports.comparison(current["total"], previous_total),
            bars=charts.daily_bars(tables["day"][1]),
            chart_size=(charts.WIDTH, charts.HEIGHT),
            summary_labels=reports.SUMMARY,
            tables=tables,
            sections=[
                (name, reports.TABLES[name], [reports.COLUMNS[c] for c in header], rows)
                for name, (header, rows) in tables.items()
                if name != "summary"
            ],
            query=request.GET.urlencode(),
        )
    return TemplateResponse(request, "admin/reports/hits.html", context)
