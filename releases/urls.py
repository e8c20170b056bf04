from django.urls import path

from releases import feeds, views

app_name = "releases"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="release_list"),
    path("<int:number>/", views.ReleaseDetailView.as_view(), name="release_short"),
    path(
        "<int:number>/<str:slug>/",
        views.ReleaseDetailView.as_view(),
        name="release_detail",
    ),
    path(
        "<int:number>/<str:slug>/attachments/<int:pk>/",
        views.attachment_text,
        name="attachment_text",
    ),
    path(
        "<int:number>/<str:slug>/attachments/<int:pk>/pdf/",
        views.attachment_pdf,
        name="attachment_pdf",
    ),
    path(
        "<int:number>/photos/<int:pk>/download/",
        views.photo_download,
        name="photo_download",
    ),
    path("<int:number>/photos.zip", views.photo_archive, name="photo_archive"),
    path(
        "attachments/<int:pk>/<str:filename>",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path("preview/<str:token>/", views.ReleasePreviewView.as_view(), name="preview"),
    path("hits/<int:number>/", views.release_hits, name="release_hits"),
    path("feed/rss/", feeds.ReleasesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.AtomReleasesFeed(), name="feed_atom"),
    path(
        "feed/municipality/<slug:slug>/rss/",
        feeds.MunicipalityReleasesFeed(),
        name="municipality_feed_rss",
    ),
    path(
        "feed/municipality/<slug:slug>/atom/",
        feeds.AtomMunicipalityReleasesFeed(),
        name="municipality_feed_atom",
    ),
    path(
        "feed/official/<slug:slug>/rss/",
        feeds.OfficialReleasesFeed(),
        name="official_feed_rss",
    ),
    path(
        "feed/official/<slug:slug>/atom/",
        feeds.AtomOfficialReleasesFeed(),
        name="official_feed_atom",
    ),
    path(
        "feed/topic/<slug:slug>/rss/",
        feeds.TopicReleasesFeed(),
        name="topic_feed_rss",
    ),
    path(
        "feed/topic/<slug:slug>/atom/",
        feeds.AtomTopicReleasesFeed(),
        name="topic_feed_atom",
    ),
    path("open-data/", views.open_data_page, name="open_data"),
    path("open-data/<str:name>", views.open_data_file, name="open_data_file"),
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
]
