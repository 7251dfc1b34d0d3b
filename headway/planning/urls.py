from django.urls import path

from headway.planning import views

app_name = "planning"
W = "w/<slug:ws>/"
urlpatterns = [
    path(W + "campaigns/", views.campaigns, name="campaigns"),
    path(W + "campaigns/new/", views.campaign_new, name="campaign-new"),
    path(W + "campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign"),
    path(W + "campaigns/<int:campaign_id>/edit/", views.campaign_edit, name="campaign-edit"),
    path(W + "campaigns/<int:campaign_id>/status/", views.campaign_status, name="campaign-status"),
    path(W + "campaigns/<int:campaign_id>/tasks/", views.task_add, name="task-add"),
    path(W + "campaigns/<int:campaign_id>/conditions/", views.condition_add, name="condition-add"),
    path(
        W + "campaigns/<int:campaign_id>/save-template/",
        views.campaign_save_template,
        name="campaign-save-template",
    ),
    path(W + "conditions/<int:condition_id>/met/", views.condition_met, name="condition-met"),
    path(W + "tasks/<int:task_id>/", views.task_detail, name="task"),
    path(W + "tasks/<int:task_id>/assign/", views.task_assign, name="task-assign"),
    path(W + "tasks/<int:task_id>/delete/", views.task_remove, name="task-delete"),
    path(W + "tasks/<int:task_id>/status/", views.task_status, name="task-status"),
    path(W + "tasks/<int:task_id>/links/", views.dependency_add, name="dependency-add"),
    path(W + "tasks/<int:task_id>/checklist/", views.checklist_add, name="checklist-add"),
    path(
        W + "tasks/<int:task_id>/checklist/toggle/", views.checklist_toggle, name="checklist-toggle"
    ),
    path(W + "tasks/<int:task_id>/comments/", views.comment_add, name="comment-add"),
    path(
        W + "links/<int:dependency_id>/remove/", views.dependency_remove, name="dependency-remove"
    ),
    path(W + "campaigns/<int:campaign_id>/metrics/", views.metric_add, name="metric-add"),
    path(W + "metrics/<int:metric_id>/remove/", views.metric_remove, name="metric-remove"),
    path(W + "channels/", views.channel_add, name="channel-add"),
    path(W + "templates/", views.templates, name="templates"),
    path(W + "templates/<int:template_id>/", views.template_detail, name="template"),
    path(W + "tasks/<int:task_id>/attachments/", views.attachment_add, name="attachment-add"),
    path(W + "attachments/<int:attachment_id>/", views.attachment_open, name="attachment"),
    path(
        W + "attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path(W + "board/", views.board, name="board"),
    path(W + "my-work/", views.my_work, name="my-work"),
    path(W + "time-off/", views.time_off, name="time-off"),
    path(W + "time-off/<int:timeoff_id>/remove/", views.timeoff_remove, name="timeoff-remove"),
    path(W + "holidays/<int:holiday_id>/remove/", views.holiday_remove, name="holiday-remove"),
]
