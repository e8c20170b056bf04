from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static as serve_static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from releases.admin import hit_report_view
from releases.api import api
from releases.sitemaps import SITEMAPS
from releases.views import HomeView, switch_language

admin.site.site_header = _("Press office newsroom")
admin.site.site_title = _("Press office admin")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them the SVG."""
    return HttpResponsePermanentRedirect(static("images/favicon.svg"))


# Each interface language has its own addresses (English unprefixed, Korean
# under /ko/), so a cached page is right for everyone who asks for that address.
urlpatterns = i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path(
        "admin/reports/hits/",
        admin.site.admin_view(hit_report_view),
        name="hit_report",
    ),
    path("admin/", admin.site.urls),
    path("releases/", include("releases.urls")),
    path("alerts/", include("alerts.urls")),
    path("", include("people.urls")),
    prefix_default_language=False,
)

urlpatterns += [
    path("api/v1/", api.urls),
    # The old board's addresses (legacy): links to it keep working.
    path("", include("legacy.urls")),
    path("language/<str:code>/", switch_language, name="switch_language"),
    path("favicon.ico", favicon),
    path(
        "sitemap.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
    ),
]

if settings.DEBUG:
    urlpatterns += serve_static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
