from django.urls import URLPattern, path

from headway.insights.views import escalations

app_name = "insights"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = [
    path(W + "escalations/", escalations.escalations, name="escalations"),
    path(
        W + "escalations/<int:escalation_id>/acknowledge/",
        escalations.escalation_ack,
        name="escalation-ack",
    ),
    path(W + "campaigns/<int:campaign_id>/risks/", escalations.risk_raise, name="risk-raise"),
]
