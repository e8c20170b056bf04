import random
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify

from people.models import Municipality, Official, Organization, Position
from releases import demo, readable, richtext, rollups
from releases.models import Attachment, DailyHits, Release, ReleaseImage, Topic

# Demo hits: a burst on the day of publication that fades over two weeks, and a
# few a day in the weeks before today, so recent reports and lists have figures.
HIT_DAYS = 14
HIT_DECAY = 0.65
READ_LATELY_DAYS = 45


def changed_by_staff(release):
    """Whether anyone has saved release since the demo loaded it: the demo saves
    without a user, the admin and the workflow always with one."""
    return release.history.filter(history_user__isnull=False).exists()


def save_if_changed(model, defaults, **lookup):
    """Like update_or_create, but an unchanged row is not saved (nor its
    updated_at moved), so that loading the demo twice changes nothing."""
    row = model.objects.filter(**lookup).first()
    if row is None:
        return model.objects.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, defaults[name])
    if changed:
        row.save()
    return row


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (places, officials, releases). Safe to run again: "
        "a release staff have changed since is kept as it is."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        self.kept = 0
        self.load_places()
        self.load_organizations()
        self.load_officials()
        self.load_topics()
        self.load_releases()
        rollups.rebuild()  # the demo wrote DailyHits directly
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {Municipality.objects.count()} municipalities, "
                f"{Official.objects.count()} officials, "
                f"{Release.objects.count()} releases."
            )
        )
        if self.kept:
            self.stdout.write(
                f"{self.kept} release{'s' if self.kept > 1 else ''} changed by staff "
                "kept as it is."
            )

    def load_places(self):
        name, local_name, slug = demo.PROVINCE
        province, _ = Municipality.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "local_name": local_name, "kind": "province"},
        )
        for kind, places in (("city", demo.CITIES), ("county", demo.COUNTIES)):
            for name, local_name in places:
                Municipality.objects.update_or_create(
                    slug=slugify(name),
                    defaults={
                        "name": name,
                        "local_name": local_name,
                        "kind": kind,
                        "parent": province,
                    },
                )

    def load_organizations(self):
        for name, local_name, slug in demo.DEPARTMENTS:
            Organization.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "local_name": local_name, "kind": "department"},
            )
        for name, local_name, slug, kind in demo.COMPANIES + demo.ALLIANCES:
            Organization.objects.update_or_create(
                slug=slug,
                defaults={"name": name, "local_name": local_name, "kind": kind},
            )

    def load_officials(self):
        for (
            name,
            local_name,
            slug,
            title,
            place,
            started_on,
            ended_on,
        ) in demo.OFFICIALS:
            official, _ = Official.objects.update_or_create(
                slug=slug, defaults={"name": name, "local_name": local_name}
            )
            Position.objects.update_or_create(
                official=official,
                title=title,
                started_on=started_on,
                defaults={
                    "municipality": Municipality.objects.filter(slug=place).first(),
                    "organization": Organization.objects.filter(slug=place).first(),
                    "ended_on": ended_on,
                    "local_title": demo.LOCAL_TITLES[title],
                },
            )

    def load_topics(self):
        for name, local_name, slug in demo.TOPICS:
            Topic.objects.update_or_create(
                slug=slug, defaults={"name": name, "local_name": local_name}
            )

    def load_releases(self):
        # Created in date order, so that board numbers rise with the dates.
        entries = [self.story_entry(index) for index in range(demo.STORY_COUNT)]
        entries.append({**demo.REFERENCE_RELEASE, "ko": demo.REFERENCE_RELEASE_KO})
        for entry in sorted(entries, key=lambda entry: entry["published_at"]):
            release = self.save_release(entry)
            if entry.get("ko"):
                self.save_release(
                    {
                        **entry,
                        **entry["ko"],
                        "slug": f"{entry['slug']}-ko",
                        "language": "ko",
                        "translation_of": release,
                        "published_at": entry["published_at"] + timedelta(hours=1),
                    }
                )

    def story_entry(self, index):
        story = demo.STORIES[index % len(demo.STORIES)]
        places = demo.CITIES + demo.COUNTIES
        city, city_ko = places[(index * 7) % len(places)]
        published_at = demo.FIRST_STORY_AT + index * demo.STORY_INTERVAL
        title = story["title"].format(city=city)
        entry = {
            "slug": slugify(title),
            "title": title,
            "summary": story["summary"].format(city=city),
            "body": story["body"].format(city=city),
            "published_at": published_at,
            "department": story["department"],
            "topics": story["topics"],
            "municipalities": [slugify(city)],
            "officials": self.officials_for(slugify(city), published_at.date()),
        }
        first_telling = index < len(demo.STORIES)
        if "ko" in story and first_telling:
            entry["ko"] = {
                key: text.format(city=city_ko) for key, text in story["ko"].items()
            }
        return entry

    def officials_for(self, city_slug, day):
        """Slugs of the governor and the city's mayor in office on day."""
        return list(
            Position.objects.held_on(day)
            .filter(municipality__slug__in=["gyeonggi", city_slug])
            .values_list("official__slug", flat=True)
        )

    def save_release(self, entry):
        existing = Release.objects.filter(slug=entry["slug"]).first()
        if existing and changed_by_staff(existing):
            self.kept += 1
            return existing
        release = save_if_changed(
            Release,
            slug=entry["slug"],
            defaults={
                "title": entry["title"],
                "summary": entry["summary"],
                "body": richtext.to_html(entry["body"]),
                "status": Release.Status.PUBLISHED,
                "published_at": entry["published_at"],
                "language": entry.get("language", "en"),
                "translation_of": entry.get("translation_of"),
                "department": Organization.objects.get(slug=entry["department"]),
                "contact_name": demo.CONTACT_NAMES[entry.get("language", "en")],
                "contact_phone": "+82-31-8008-2114",
                "contact_email": "press@gg.go.kr",
            },
        )
        release.topics.set(Topic.objects.filter(slug__in=entry["topics"]))
        release.municipalities.set(
            Municipality.objects.filter(slug__in=entry["municipalities"])
        )
        release.officials.set(Official.objects.filter(slug__in=entry["officials"]))
        release.organizations.set(
            Organization.objects.filter(slug__in=entry.get("organizations", []))
        )
        self.save_hits(release, entry.get("legacy_hits", 0))
        if entry["slug"].startswith(demo.REFERENCE_RELEASE["slug"]):
            self.save_photos(release, demo.REFERENCE_PHOTOS[release.language])
            self.save_attachments(release)
        return release

    def save_attachments(self, release):
        """The reference release's plan (PDF) and facts (HWPX), each made once,
        with their text versions made at once (make run starts no queue first)."""
        files = [
            ("Strategy plan", "strategy-plan.pdf", demo.pdf(demo.REFERENCE_PLAN_LINES)),
            ("추진 전략 요약", "추진전략.hwpx", demo.hwpx(demo.REFERENCE_FACTS_KO)),
        ]
        for title, name, content in files:
            if not release.attachments.filter(title=title).exists():
                attachment = Attachment.objects.create(
                    release=release, title=title, file=ContentFile(content, name=name)
                )
                readable.prepare(attachment.pk)

    def save_photos(self, release, photos):
        """The release's demo photos, each made once (found by its caption)."""
        for order, (caption, alt_text, credit, colour) in enumerate(photos):
            if not release.images.filter(caption=caption).exists():
                ReleaseImage.objects.create(
                    release=release,
                    image=ContentFile(demo.photo(colour), name="photo.jpg"),
                    caption=caption,
                    alt_text=alt_text,
                    credit=credit,
                    order=order,
                )

    def save_hits(self, release, legacy_hits):
        if not legacy_hits:
            rng = random.Random(release.slug)
            first_day_hits = rng.randint(20, 160)
            for offset in range(HIT_DAYS):
                DailyHits.objects.update_or_create(
                    release=release,
                    day=release.published_on + timedelta(days=offset),
                    defaults={"hits": int(first_day_hits * HIT_DECAY**offset)},
                )
            self.save_recent_hits(release)
        counted = release.daily_hits.aggregate(total=Sum("hits"))["total"] or 0
        Release.objects.filter(pk=release.pk).update(
            legacy_hits=legacy_hits, hit_count=legacy_hits + counted
        )

    def save_recent_hits(self, release):
        """0-3 hits on each of the days before today that have none (the same on
        every load; a day's hits counted since are kept)."""
        today = timezone.localdate()
        rows = []
        for days_ago in range(1, READ_LATELY_DAYS + 1):
            day = today - timedelta(days=days_ago)
            hits = random.Random(f"{release.slug}:{day}").randint(0, 3)
            if hits:
                rows.append(DailyHits(release=release, day=day, hits=hits))
        DailyHits.objects.bulk_create(rows, ignore_conflicts=True)
