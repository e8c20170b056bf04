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
        "attachments/<int:pk>/<str:filename>",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path("preview/<str:token>/", views.ReleasePreviewView.as_view(), name="preview"),
    path("feed/rss/", feeds.ReleasesFeed(), name="feed_rss"),
    path("feed/atom/", feeds.atom(feeds.ReleasesFeed)(), name="feed_atom"),
    *[
        route
        for kind, feed in (
            ("municipality", feeds.MunicipalityReleasesFeed),
            ("official", feeds.OfficialReleasesFeed),
            ("topic", feeds.TopicReleasesFeed),
        )
        for route in (
            path(f"feed/{kind}/<slug:slug>/rss/", feed(), name=f"{kind}_feed_rss"),
            path(
                f"feed/{kind}/<slug:slug>/atom/",
                feeds.atom(feed)(),
                name=f"{kind}_feed_atom",
            ),
        )
    ],
    path("topics/", views.TopicListView.as_view(), name="topic_list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic_detail"),
]
