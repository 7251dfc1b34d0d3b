from django.urls import path

from headway.approvals import views

app_name = "approvals"
W = "w/<slug:ws>/"
urlpatterns = [
    path(W + "approvals/", views.queue, name="queue"),
    path(W + "approvals/chains/new/", views.chain_new, name="chain-new"),
    path(W + "tasks/<int:task_id>/approval/", views.start, name="start"),
    path(W + "content/<int:piece_id>/approval/", views.start_piece, name="start-piece"),
    path(W + "approvals/<int:request_id>/", views.request_detail, name="request"),
    path(W + "approvals/<int:request_id>/decide/", views.decide, name="decide"),
    path(W + "approvals/<int:request_id>/resubmit/", views.resubmit, name="resubmit"),
    path("approve/<str:token>/", views.signed_link, name="link"),
    path("approve/<str:token>/file/", views.signed_link_file, name="link-file"),
]
