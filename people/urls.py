from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("officials/", views.OfficialListView.as_view(), name="official_list"),
    path(
        "officials/<slug:slug>/",
        views.OfficialDetailView.as_view(),
        name="official_detail",
    ),
    path(
        "municipalities/",
        views.MunicipalityListView.as_view(),
        name="municipality_list",
    ),
    path(
        "municipalities/<slug:slug>/",
        views.MunicipalityDetailView.as_view(),
        name="municipality_detail",
    ),
]
