from django.urls import path

from headway.workspaces import views

app_name = "workspaces"
urlpatterns = [
    path("workspaces/new/", views.workspace_new, name="new"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("w/<slug:ws>/", views.dashboard, name="dashboard"),
    path("w/<slug:ws>/members/", views.members, name="members"),
    path("w/<slug:ws>/members/<int:member_id>/role/", views.member_role, name="member-role"),
    path("w/<slug:ws>/members/<int:member_id>/remove/", views.member_remove, name="member-remove"),
    path(
        "w/<slug:ws>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation-revoke",
    ),
    path("w/<slug:ws>/background/", views.background_failures, name="background"),
]
