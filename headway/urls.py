from django.urls import include, path

from headway.api.root import api

handler500 = "headway.core.views.server_error"

urlpatterns = [
    path("", include("headway.core.urls")),
    path("accounts/", include("headway.accounts.urls")),
    path("", include("headway.workspaces.urls")),
    path("", include("headway.activity.urls")),
    path("", include("headway.planning.urls")),
    path("", include("headway.approvals.urls")),
    path("", include("headway.publishing.urls")),
    path("", include("headway.insights.urls")),
    path("", include("headway.capacity.urls")),
    path("", include("headway.results.urls")),
    path("api/v1/", api.urls),
]
