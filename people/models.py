from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from releases import uploads


def in_local_order(named, group_by=None):
    """named (objects of LocalNameMixin) sorted by their names in the interface's
    language, Hangul in 가나다 order, kept in groups of the field group_by."""
    return sorted(
        named,
        key=lambda obj: (
            getattr(obj, group_by) if group_by else "",
            obj.localized_name.casefold(),
        ),
    )


class LocalNameMixin:
    """local_name in the Korean interface, where there is one; name otherwise."""

    @property
    def localized_name(self):
        if get_language() == "ko" and self.local_name:
            return self.local_name
        return self.name

    @property
    def other_name(self):
        """(language, name) of the name localized_name is not; None if none."""
        if not self.local_name or self.local_name == self.name:
            return None
        if self.localized_name == self.local_name:
            return ("en", self.name)
        return ("ko", self.local_name)


class Municipality(LocalNameMixin, models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    name = models.CharField(_("name"), max_length=100, unique=True)
    local_name = models.CharField(
        _("local name"), max_length=100, blank=True, help_text=_("The Korean name.")
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("The province a city or county belongs to."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="municipality_not_own_parent",
            ),
        ]

    def __str__(self):
        return self.localized_name

    def get_absolute_url(self):
        return reverse("people:municipality_detail", kwargs={"slug": self.slug})


class Organization(LocalNameMixin, models.Model):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Press office department")
        AGENCY = "agency", _("Public agency")
        COMPANY = "company", _("Company")
        ALLIANCE = "alliance", _("Alliance")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    local_name = models.CharField(_("local name"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.localized_name


class Official(LocalNameMixin, models.Model):
    name = models.CharField(_("name"), max_length=100)
    local_name = models.CharField(_("local name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    photo = models.ImageField(
        _("photo"),
        upload_to="officials/",
        blank=True,
        validators=[uploads.validate_image],
        help_text=_("JPEG, PNG, WebP or GIF; metadata such as GPS is removed."),
    )
    # Read at upload, so that pages size the photo without opening its file.
    photo_width = models.PositiveIntegerField(null=True, editable=False)
    photo_height = models.PositiveIntegerField(null=True, editable=False)
    bio = models.TextField(_("short biography"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")

    def __str__(self):
        return self.localized_name

    def save(self, *args, **kwargs):
        if uploads.is_new_upload(self.photo):
            uploads.replace_with_clean_copy(self.photo)
            self.photo_width, self.photo_height = uploads.dimensions(self.photo)
        elif not self.photo:
            self.photo_width = self.photo_height = None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("people:official_detail", kwargs={"slug": self.slug})


class PositionQuerySet(models.QuerySet):
    def held_on(self, day):
        """Positions that had started by day and had not yet ended."""
        return self.filter(started_on__lte=day).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )

    def current(self):
        """Positions held today (the twin of Position.is_current)."""
        return self.held_on(timezone.localdate())

    def overlapping(self, position):
        """Other positions of the same official in the same post whose dates overlap."""
        overlaps = self.filter(
            official_id=position.official_id,
            title=position.title,
            municipality_id=position.municipality_id,
            organization_id=position.organization_id,
        ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=position.started_on))
        if position.ended_on:
            overlaps = overlaps.filter(started_on__lte=position.ended_on)
        return overlaps.exclude(pk=position.pk)


class Position(models.Model):
    official = models.ForeignKey(
        Official,
        verbose_name=_("official"),
        on_delete=models.CASCADE,
        related_name="positions",
    )
    title = models.CharField(_("title"), max_length=100, help_text=_('e.g. "Mayor"'))
    local_title = models.CharField(_("local title"), max_length=100, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="positions",
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(
        _("ended on"), null=True, blank=True, help_text=_("Empty while still held.")
    )

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="position_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(municipality__isnull=False, organization__isnull=True)
                | Q(municipality__isnull=True, organization__isnull=False),
                name="position_in_municipality_or_organization",
            ),
        ]

    def __str__(self):
        return f"{self.official}, {self.post_name}"

    def clean(self):
        if (self.municipality_id is None) == (self.organization_id is None):
            raise ValidationError(
                _("Choose either a municipality or an organization for the post.")
            )
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("A post cannot end before it starts.")}
            )
        if (
            self.official_id
            and self.started_on
            and Position.objects.overlapping(self).exists()
        ):
            raise ValidationError(
                _("%(official)s already held this post during these dates.")
                % {"official": self.official}
            )

    @property
    def post_name(self):
        """The post as read on a page: "Mayor, Suwon", or "수원시 시장" in Korean."""
        place = self.municipality or self.organization
        if get_language() == "ko" and self.local_title:
            return f"{place.localized_name} {self.local_title}"
        return _("%(title)s, %(place)s") % {"title": self.title, "place": place}

    def is_held_on(self, day):
        """This position's twin of PositionQuerySet.held_on()."""
        return self.started_on <= day and (
            self.ended_on is None or self.ended_on >= day
        )

    @property
    def is_current(self):
        return self.is_held_on(timezone.localdate())
