from django.urls import path

from headway.publishing import views

app_name = "publishing"
W = "w/<slug:ws>/"
urlpatterns = [
    path(W + "calendar/", views.calendar, name="calendar"),
    path(W + "content/", views.pipeline, name="pipeline"),
    path(W + "content/<int:piece_id>/", views.piece_edit, name="piece"),
    path(W + "content/<int:piece_id>/move/", views.piece_move, name="piece-move"),
    path(W + "campaigns/<int:campaign_id>/launch/move/", views.launch_move, name="launch-move"),
    path(W + "feeds/", views.feed_add, name="feed-add"),
    path(W + "feeds/<int:feed_id>/revoke/", views.feed_revoke, name="feed-revoke"),
    path("feeds/<str:token>.ics", views.feed, name="feed"),
]
