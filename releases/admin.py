from django.contrib import admin

from releases.models import Attachment, DailyHits, Release, ReleaseImage, Topic


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "local_name"]
    search_fields = ["name", "local_name"]
    prepopulated_fields = {"slug": ["name"]}


class ReleaseImageInline(admin.TabularInline):
    model = ReleaseImage
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    readonly_fields = ["file_type", "size"]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = [
        "number",
        "title",
        "status",
        "published_at",
        "hit_count",
        "language",
    ]
    list_display_links = ["number", "title"]
    list_filter = ["status", "language", "topics", "municipalities", "published_at"]
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
    readonly_fields = ["number", "hit_count", "legacy_hits", "created_at", "updated_at"]
    inlines = [ReleaseImageInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["number", "title", "slug", "language", "translation_of"]}),
        (None, {"fields": ["summary", "body"]}),
        (
            "Publishing",
            {
                "fields": [
                    "status",
                    "published_at",
                    "last_major_update_at",
                    "change_note",
                    "withdrawn_at",
                    "withdrawal_reason",
                ]
            },
        ),
        (
            "Issued by",
            {
                "fields": [
                    "department",
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                ]
            },
        ),
        ("Lead image", {"fields": ["lead_image", "lead_image_alt"]}),
        (
            "Tags",
            {"fields": ["topics", "municipalities", "officials", "organizations"]},
        ),
        (
            "Figures",
            {"fields": ["hit_count", "legacy_hits", "created_at", "updated_at"]},
        ),
    ]


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
