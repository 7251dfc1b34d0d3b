from django.urls import URLPattern, path

from headway.insights.views import bottlenecks as waits_views
from headway.insights.views import checkins, escalations, newcomer
from headway.insights.views import crunch as crunch_views
from headway.insights.views import flow as flow_views
from headway.insights.views import scorecard as scorecard_views

app_name = "insights"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = [
    path(W + "checkin/", checkins.checkin_current, name="checkin-current"),
    path(W + "checkins/", checkins.checkin_history, name="checkins"),
    path(W + "checkin/schedule/", checkins.checkin_schedule, name="checkin-schedule"),
    # this week's check-in before it is stored: its first write stores it
    path(W + "checkin/discuss/", checkins.checkin_discuss, name="current-checkin-discuss"),
    path(W + "checkin/decisions/", checkins.decision_add, name="current-decision-add"),
    path(W + "checkin/close/", checkins.checkin_close, name="current-checkin-close"),
    path(W + "checkins/<int:checkin_id>/", checkins.checkin_detail, name="checkin"),
    path(
        W + "checkins/<int:checkin_id>/discuss/", checkins.checkin_discuss, name="checkin-discuss"
    ),
    path(W + "checkins/<int:checkin_id>/decisions/", checkins.decision_add, name="decision-add"),
    path(W + "checkins/<int:checkin_id>/close/", checkins.checkin_close, name="checkin-close"),
    path(W + "start/", newcomer.newcomer, name="newcomer"),
    path(W + "escalations/", escalations.escalations, name="escalations"),
    path(
        W + "escalations/<int:escalation_id>/acknowledge/",
        escalations.escalation_ack,
        name="escalation-ack",
    ),
    path(W + "campaigns/<int:campaign_id>/risks/", escalations.risk_raise, name="risk-raise"),
]

# flow, where work waits, crunch, scorecard (the diagnosis pages)
urlpatterns += [
    path(W + "flow/", flow_views.flow, name="flow"),
    path(W + "waits/", waits_views.bottlenecks, name="bottlenecks"),
    path(W + "waits/approvals-past-limit/", waits_views.late_approvals, name="late-approvals"),
    path(W + "crunch/", crunch_views.crunch, name="crunch"),
    path(W + "scorecard/", scorecard_views.scorecard, name="scorecard"),
]
