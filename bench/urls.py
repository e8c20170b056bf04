"""The site's URLs plus C, the floor: a bare view with one UPDATE and one SELECT."""

import os

from django.db.models import F
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from pressoffice.urls import urlpatterns as site_urlpatterns
from releases.models import Release

# Padding so that the floor page is as large as a release page.
FILLER = "x" * int(os.environ.get("BENCH_PAGE_BYTES", "10000"))
TEMPLATE = engines["django"].from_string(
    "<!DOCTYPE html><title>{{ release.title }}</title>"
    "<p>Hit {{ release.hit_count }}</p><p>{{ filler }}</p>"
)


def floor(request, number):
    Release.objects.filter(number=number).update(hit_count=F("hit_count") + 1)
    release = Release.objects.get(number=number)
    return HttpResponse(TEMPLATE.render({"release": release, "filler": FILLER}))


# The site's patterns themselves: i18n_patterns cannot be included.
urlpatterns = [path("bench/floor/<int:number>/", floor), *site_urlpatterns]
