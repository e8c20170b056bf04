import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from people.models import LocalNameMixin, Municipality, Official, Organization, Position
from releases import documents, richtext, search, uploads

SUMMARY_POINT = "○"
SUMMARY_SUB_POINT = "–"


def local_minute(moment):
    """moment in the office's time zone, to the minute, as the office writes it."""
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def new_preview_key():
    return secrets.token_hex(16)


class Topic(LocalNameMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    local_name = models.CharField(_("local name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.localized_name

    def get_absolute_url(self):
        return reverse("releases:topic_detail", kwargs={"slug": self.slug})


BOARD_FIELDS = [
    "number", "title", "slug", "language", "status", "published_at", "hit_count",
    "department__name", "department__local_name", "department__slug",
]  # fmt: skip


class ReleaseQuerySet(models.QuerySet):
    def published(self):
        """Releases that are published and whose published_at has passed."""
        return self.filter(
            status=Release.Status.PUBLISHED, published_at__lte=timezone.now()
        )

    def scheduled(self):
        """Releases published with a later time: embargoed until then."""
        return self.filter(
            status=Release.Status.PUBLISHED, published_at__gt=timezone.now()
        )

    def visible(self):
        """Releases with a public page: published, or withdrawn (shown with notice)."""
        return self.filter(
            status__in=[Release.Status.PUBLISHED, Release.Status.WITHDRAWN],
            published_at__lte=timezone.now(),
        )

    def board_page(self, number):
        """Page number (as asked: a bad one gives a valid page) of the board of
        these releases that are published."""
        board = self.published().for_board()
        return Paginator(board, settings.RELEASES_PER_PAGE).get_page(number)

    def for_board(self):
        """Only what a board row shows, department included, newest first.

        Narrow rows matter when a search sorts thousands of matches for one page.
        """
        return (
            self.select_related("department")
            .only(*BOARD_FIELDS)
            .order_by("-published_at", "-number")
        )


class Release(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    number = models.PositiveIntegerField(
        _("number"),
        unique=True,
        editable=False,
        help_text=_("Public board number, given in order of creation."),
    )
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=150,
        unique=True,
        allow_unicode=True,
        help_text=_("The last part of the address; made from the title if left empty."),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_(
            "Key points, one a line: start a point with ○ and a sub-point with –."
        ),
    )
    body = models.TextField(_("body"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Shown as the Created date; a future time embargoes the release."),
    )
    last_major_update_at = models.DateTimeField(
        _("last major update"), null=True, blank=True
    )
    change_note = models.CharField(
        _("change note"),
        max_length=300,
        blank=True,
        help_text=_("What the last major update changed; shown on the page."),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(
        _("submitted at"), null=True, blank=True, editable=False
    )
    review_comment = models.TextField(
        _("comment for the writer"),
        blank=True,
        db_default="",  # rows written in SQL (bench seeds, imports) need none
        editable=False,
        help_text=_("Why an editor returned the release to draft."),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("withdrawal reason"), max_length=300, blank=True
    )
    department = models.ForeignKey(
        Organization,
        verbose_name=_("issuing department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issued_releases",
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT},
    )
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    lead_image = models.ImageField(
        _("lead image"),
        upload_to="releases/lead/",
        blank=True,
        validators=[uploads.validate_image],
        help_text=_("JPEG, PNG, WebP or GIF; metadata such as GPS is removed."),
    )
    lead_image_renditions = models.JSONField(default=dict, editable=False)
    lead_image_width = models.PositiveIntegerField(null=True, editable=False)
    lead_image_height = models.PositiveIntegerField(null=True, editable=False)
    lead_image_alt = models.CharField(
        _("lead image alt text"),
        max_length=300,
        blank=True,
        help_text=_("Describe the image for readers who cannot see it."),
    )
    topics = models.ManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="releases"
    )
    municipalities = models.ManyToManyField(
        Municipality,
        verbose_name=_("municipalities"),
        blank=True,
        related_name="releases",
    )
    officials = models.ManyToManyField(
        Official, verbose_name=_("officials"), blank=True, related_name="releases"
    )
    organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organizations mentioned"),
        blank=True,
        related_name="releases",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        help_text=_("The original release this one translates."),
    )
    hit_count = models.PositiveIntegerField(
        _("hits"),
        default=0,
        editable=False,
        help_text=_("Public total, including hits carried over from the old board."),
    )
    legacy_hits = models.PositiveIntegerField(
        _("hits carried over"),
        default=0,
        editable=False,
        help_text=_("Hits counted by the old board before this site; no daily rows."),
    )
    search_vector = SearchVectorField(null=True, editable=False)
    # The words of its attachments' text versions (releases.readable), for the
    # site search only.
    attachments_text = models.TextField(default="", blank=True, editable=False)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("Raised by every save; a form saved over a newer one is refused."),
    )
    preview_key = models.CharField(
        _("preview key"),
        max_length=32,
        default=new_preview_key,
        editable=False,
        help_text=_(
            "Part of every preview link; changed on publishing to revoke them."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReleaseQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "hit_count",
            "legacy_hits",
            "updated_at",
            "preview_key",
            "search_vector",
            "attachments_text",
        ],
        m2m_fields=[topics, municipalities, officials, organizations],
    )

    class Meta:
        ordering = ["-published_at", "-number"]
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        indexes = [
            # The board: published releases, newest first. With id included it
            # also counts them, or those of a tag, from the index alone.
            models.Index(
                fields=["-published_at", "-number"],
                include=["id"],
                name="release_board",
                condition=Q(status="published"),
            ),
            # The same for every release with a public page, withdrawn ones
            # included: the open data API's list (releases.api) reads it.
            models.Index(
                fields=["-published_at", "-number"],
                include=["id"],
                name="release_visible",
                condition=Q(status__in=["published", "withdrawn"]),
            ),
        ]
        permissions = [
            ("publish_release", _("Can publish, schedule, withdraw and restore")),
            ("view_hit_reports", _("Can read hit reports")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hit_count__gte=0), name="release_hits_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(hit_count__gte=F("legacy_hits")),
                name="release_hits_include_carried_over",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "in_review"])
                | Q(published_at__isnull=False),
                name="release_public_has_date",
            ),
            models.CheckConstraint(
                condition=Q(lead_image="") | ~Q(lead_image_alt=""),
                name="release_lead_image_has_alt",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}" if self.number else self.title

    def save(self, *args, **kwargs):
        # Every save raises the revision: a form opened before it is refused.
        self.revision += 1
        self.body = richtext.to_html(self.body)
        if uploads.is_new_upload(self.lead_image):
            self.lead_image_renditions = uploads.store_image(self.lead_image)
            self.lead_image_width, self.lead_image_height = uploads.dimensions(
                self.lead_image
            )
        elif not self.lead_image:
            self.lead_image_renditions = {}
            self.lead_image_width = self.lead_image_height = None
        if not self.slug:
            self.slug = self._unique_slug()
        if self.pk:  # the words as they are now, not as this copy was read
            self.attachments_text = self.attachment_words()
        if self.number is None:
            self._save_with_next_number(*args, **kwargs)
        else:
            super().save(*args, **kwargs)
        search.index(self)

    def get_absolute_url(self):
        return reverse(
            "releases:release_detail", kwargs={"number": self.number, "slug": self.slug}
        )

    def attachment_words(self):
        """The words of its attachments' text versions, for the site search."""
        return "\n".join(
            search.plain_text(text)
            for text in self.attachments.filter(
                text_status=TextStatus.READY
            ).values_list("text_html", flat=True)
        )

    def clean(self):
        if self.lead_image and not self.lead_image_alt.strip():
            raise ValidationError(
                {
                    "lead_image_alt": _(
                        "Describe the lead image for readers who cannot see it."
                    )
                }
            )

    def _unique_slug(self):
        return Release.free_slugs([self.title], exclude_pk=self.pk)[0]

    @staticmethod
    def free_slugs(titles, exclude_pk=None):
        """A slug for each title, free and apart from each other: the title's,
        else with -2, -3… added. Two queries, and one more per taken slug."""
        bases = [
            slugify(title, allow_unicode=True)[:140] or "release" for title in titles
        ]
        others = Release.objects.exclude(pk=exclude_pk)
        taken = set(others.filter(slug__in=bases).values_list("slug", flat=True))
        chosen = []
        for base in bases:
            if base in taken:
                taken.update(
                    others.filter(slug__startswith=f"{base}-").values_list(
                        "slug", flat=True
                    )
                )
            slug, suffix = base, 2
            while slug in taken:
                slug, suffix = f"{base}-{suffix}", suffix + 1
            taken.add(slug)
            chosen.append(slug)
        return chosen

    def _save_with_next_number(self, *args, **kwargs):
        # Two releases created at once may pick the same number; the unique
        # constraint refuses the second, which then takes the next one.
        for _attempt in range(5):
            latest = Release.objects.aggregate(latest=Max("number"))["latest"]
            self.number = (latest or 0) + 1
            try:
                with transaction.atomic():
                    super().save(*args, **kwargs)
                return
            except IntegrityError:
                if Release.objects.filter(number=self.number).exists():
                    continue
                raise
        raise IntegrityError("Could not assign a release number.")

    @property
    def lead_image_srcset(self):
        return uploads.srcset(self.lead_image, self.lead_image_renditions)

    @property
    def safe_body(self):
        """The body as HTML that is safe to show (sanitized again on the way out)."""
        return mark_safe(richtext.to_html(self.body))

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    def is_live_at(self, moment):
        """This row's twin of ReleaseQuerySet.published(), at moment."""
        return self.status == self.Status.PUBLISHED and self.published_at <= moment

    @property
    def is_live(self):
        return self.is_live_at(timezone.now())

    @property
    def is_scheduled(self):
        """This row's twin of ReleaseQuerySet.scheduled()."""
        return self.status == self.Status.PUBLISHED and not self.is_live

    @property
    def status_label(self):
        """The status as staff should read it: an embargo is not "Published"."""
        if self.is_scheduled:
            return _("Scheduled for %(at)s") % {"at": local_minute(self.published_at)}
        return self.get_status_display()

    @property
    def published_on(self):
        """The day the release went out, in the office's time zone."""
        return timezone.localdate(self.published_at) if self.published_at else None

    def summary_points(self):
        """The summary as a list of (point, [sub-points]) from its ○ and – lines."""
        points = []
        for raw_line in self.summary.splitlines():
            line = raw_line.strip()
            if not line:
                continue
            if line.startswith(SUMMARY_SUB_POINT) and points:
                points[-1][1].append(line.removeprefix(SUMMARY_SUB_POINT).strip())
            else:
                points.append((line.removeprefix(SUMMARY_POINT).strip(), []))
        return points

    def officials_with_posts(self):
        """Each tagged official with the posts held on the release's date."""
        officials = list(self.officials.all())
        day = self.published_on or timezone.localdate()
        posts = {}
        for position in (
            Position.objects.held_on(day)
            .filter(official__in=officials)
            .select_related("municipality", "organization")
        ):
            posts.setdefault(position.official_id, []).append(position)
        return [(official, posts.get(official.pk, [])) for official in officials]

    def related(self, limit=4):
        """Other published releases sharing a municipality or topic, newest first."""
        return (
            Release.objects.published()
            .filter(
                Q(municipalities__in=self.municipalities.all())
                | Q(topics__in=self.topics.all())
            )
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-published_at")[:limit]
        )

    def previous(self):
        """The published release before this one on the board."""
        return (
            Release.objects.published()
            .filter(published_at__lt=self.published_at)
            .order_by("-published_at")
            .first()
        )

    def next(self):
        """The published release after this one on the board."""
        return (
            Release.objects.published()
            .filter(published_at__gt=self.published_at)
            .order_by("published_at")
            .first()
        )

    def linked_translations(self):
        """The other language versions of this release, both ways."""
        original = self.translation_of or self
        versions = [original, *original.translations.all()]
        return [version for version in versions if version.pk != self.pk]


class ChangeNote(models.Model):
    """One major change of a published release, as its public page lists it."""

    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="change_notes",
    )
    made_at = models.DateTimeField(_("made at"))
    note = models.CharField(_("change note"), max_length=300)

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")

    def __str__(self):
        return f"{self.release_id} {self.made_at:%Y-%m-%d}: {self.note}"


class PhotoLicence(models.TextChoices):
    """The Korea Open Government License types a photo may be reused under."""

    KOGL_1 = "kogl-1", _("KOGL Type 1: credit the source")
    KOGL_2 = "kogl-2", _("KOGL Type 2: credit the source, no commercial use")
    KOGL_3 = "kogl-3", _("KOGL Type 3: credit the source, no changes")
    KOGL_4 = (
        "kogl-4",
        _("KOGL Type 4: credit the source, no commercial use, no changes"),
    )

    @property
    def url(self):
        return f"https://www.kogl.or.kr/info/licenseType{self.value[-1]}.do"


class ReleaseImage(models.Model):
    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="images",
    )
    image = models.ImageField(
        _("image"),
        upload_to="releases/gallery/",
        validators=[uploads.validate_image],
        help_text=_("JPEG, PNG, WebP or GIF; metadata such as GPS is removed."),
    )
    renditions = models.JSONField(default=dict, editable=False)
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        help_text=_("Describe the image for readers who cannot see it."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(
        _("credit"),
        max_length=200,
        blank=True,
        help_text=_("The photographer or office, as outlets should print it."),
    )
    licence = models.CharField(
        _("reuse licence"),
        max_length=10,
        choices=PhotoLicence.choices,
        blank=True,
        help_text=_("Leave empty for the office's usual licence."),
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery images")

    def __str__(self):
        return self.alt_text

    def save(self, *args, **kwargs):
        if uploads.is_new_upload(self.image):
            self.renditions = uploads.store_image(self.image)
            self.width, self.height = uploads.dimensions(self.image)
            self.size = self.image.size
        super().save(*args, **kwargs)

    @property
    def reuse_licence(self):
        """Its licence, or the office's usual one (PHOTO_LICENCE)."""
        return PhotoLicence(self.licence or settings.PHOTO_LICENCE)

    @property
    def thumbnail_url(self):
        """The narrowest copy's address (the image's own if it has none)."""
        if self.renditions:
            narrowest = min(self.renditions, key=int)
            return self.image.storage.url(self.renditions[narrowest])
        return self.image.url

    @property
    def srcset(self):
        return uploads.srcset(self.image, self.renditions)


class TextStatus(models.TextChoices):
    NONE = "", _("download only")
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("could not be made")


class Attachment(models.Model):
    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"),
        upload_to=uploads.attachment_path,
        validators=[uploads.validate_attachment],
        help_text=_(
            "PDF, HWP, HWPX, DOC(X), XLS(X), PPT(X), ZIP, JPG or PNG; 50 MB at most."
        ),
    )
    original_name = models.CharField(
        _("original file name"), max_length=255, editable=False, default=""
    )
    title = models.CharField(_("title"), max_length=200)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    file_type = models.CharField(_("type"), max_length=10, editable=False)
    # Its text version, readable in the browser (releases.readable).
    text_status = models.CharField(
        _("text version"),
        max_length=10,
        choices=TextStatus.choices,
        default=TextStatus.NONE,
        blank=True,
        editable=False,
    )
    text_html = models.TextField(default="", blank=True, editable=False)
    text_problem = models.CharField(
        _("why there is no text version"),
        max_length=300,
        default="",
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if uploads.is_new_upload(self.file):
            self.describe_file()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse(
            "releases:attachment",
            kwargs={"pk": self.pk, "filename": self.original_name},
        )

    def describe_file(self):
        """Note the chosen file's original name, size and type (before it is
        stored, under a new name), and whether a text version is to be made."""
        self.original_name = Path(self.file.name).name
        self.size = self.file.size
        self.file_type = Path(self.file.name).suffix.lstrip(".").upper()
        readable = self.file_type in documents.CONVERTIBLE
        self.text_status = TextStatus.PENDING if readable else TextStatus.NONE
        self.text_html = self.text_problem = ""

    @property
    def has_text_version(self):
        return self.text_status == TextStatus.READY

    def get_text_url(self):
        return self._page_url("releases:attachment_text")

    def get_pdf_url(self):
        return self._page_url("releases:attachment_pdf")

    def _page_url(self, name):
        release = self.release
        return reverse(
            name, kwargs={"number": release.number, "slug": release.slug, "pk": self.pk}
        )


class DailyHits(models.Model):
    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="daily_hits",
    )
    day = models.DateField(_("day"))
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily hits")
        verbose_name_plural = _("daily hits")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "day"], name="daily_hits_once_a_day"
            ),
            models.CheckConstraint(
                condition=Q(hits__gte=0), name="daily_hits_not_negative"
            ),
        ]
        indexes = [
            # Not covering hits: counting updates them, and keeping them out of
            # every index lets PostgreSQL update the row in place (HOT).
            models.Index(fields=["day", "release"], name="daily_hits_day_release")
        ]

    def __str__(self):
        return f"{self.release_id} {self.day}: {self.hits}"


class DailyDownloads(models.Model):
    """Downloads of a release's photos (one or all) on a day: apart from its
    hits, as a download is not a reading of the page."""

    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="daily_downloads",
    )
    day = models.DateField(_("day"))
    downloads = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily photo downloads")
        verbose_name_plural = _("daily photo downloads")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "day"], name="daily_downloads_once_a_day"
            ),
        ]
        indexes = [models.Index(fields=["day", "release"], name="daily_downloads_day")]

    def __str__(self):
        return f"{self.release_id} {self.day}: {self.downloads}"


class MonthlyHits(models.Model):
    """A release's DailyHits summed over one calendar month, for the days rolled up.

    Days are rolled up once they are over (releases.rollups), so a report over a
    year reads 12 rows a release instead of 365 and counting never writes here.
    """

    release = models.ForeignKey(
        Release,
        verbose_name=_("release"),
        on_delete=models.CASCADE,
        related_name="monthly_hits",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    hits = models.PositiveIntegerField(_("hits"), default=0)

    class Meta:
        verbose_name = _("monthly hits")
        verbose_name_plural = _("monthly hits")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "month"], name="monthly_hits_once_a_month"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="monthly_hits_month_starts_on_1st"
            ),
        ]
        indexes = [
            models.Index(
                fields=["month", "release"],
                include=["hits"],
                name="monthly_hits_month_release",
            )
        ]

    def __str__(self):
        return f"{self.release_id} {self.month:%Y-%m}: {self.hits}"


class DailyTotal(models.Model):
    """The DailyHits of every release summed for one rolled-up day."""

    day = models.DateField(_("day"), unique=True)
    hits = models.PositiveBigIntegerField(_("hits"), default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("daily total")
        verbose_name_plural = _("daily totals")

    def __str__(self):
        return f"{self.day}: {self.hits}"


class RollupProgress(models.Model):
    """The one row saying up to which day MonthlyHits and DailyTotal hold."""

    rolled_up_through = models.DateField(_("rolled up through"), null=True)

    class Meta:
        verbose_name = _("rollup progress")
        verbose_name_plural = _("rollup progress")

    def __str__(self):
        return str(self.rolled_up_through)


class FrontLogPosition(models.Model):
    """How far the hits counter has read the front server's log of release views.

    Saved in the same transaction as the hits it counted, so that after a crash
    or restart of anything, reading resumes exactly after the last view counted
    (releases/front_log.py).
    """

    log = models.CharField(_("log file"), max_length=500, unique=True)
    inode = models.BigIntegerField(
        _("inode"), default=0, help_text=_("Names the file across renames.")
    )
    head = models.CharField(
        _("first line"),
        max_length=32,
        blank=True,
        help_text=_("A hash of the file's first line: tells a new file from an old."),
    )
    offset = models.BigIntegerField(_("offset"), default=0)
    read_at = models.DateTimeField(_("last read"), null=True, blank=True)
    unread_bytes = models.BigIntegerField(_("unread bytes"), default=0)

    class Meta:
        verbose_name = _("front log position")
        verbose_name_plural = _("front log positions")

    def __str__(self):
        return f"{self.log} @ {self.inode}:{self.offset}"


class CountedVisit(models.Model):
    """A visitor, known only by the daily-salted hash, last counted for a release.

    Kept for the cooldown only: this is the log counter's de-duplication, in the
    database so that it commits together with the hits and the read position.
    """

    # Visitor first: the counter looks up a batch's visitors by hash. No other
    # index but the expiry's: tens of thousands of rows are written a second.
    pk = models.CompositePrimaryKey("visitor", "release")
    visitor = models.CharField(max_length=32)
    release = models.ForeignKey(
        Release, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    counted_at = models.DateTimeField()
    until = models.DateTimeField(help_text="counted_at + the cooldown")

    class Meta:
        indexes = [models.Index(fields=["until"], name="counted_visit_expiry")]

    def __str__(self):
        return f"{self.release_id} {self.visitor} {self.counted_at}"


class HitSalt(models.Model):
    """The random salt of one day's visitor hashes for the log counter; deleted
    the day after, so that older hashes can no longer be recomputed."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self):
        return str(self.day)
