from django.urls import URLPattern, path

from headway.capacity import scenarios_views, views

app_name = "capacity"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = [
    path(W + "capacity/", views.load, name="load"),
    path(W + "capacity/people/", views.people, name="people"),
    path(W + "capacity/cell/", views.cell, name="cell"),
    path(W + "capacity/levelled/", views.levelled, name="levelled"),
    path(W + "capacity/cover/", views.cover, name="cover"),
    path(W + "capacity/cover/assign/", views.cover_assign, name="cover-assign"),
    path(W + "capacity/scenarios/", scenarios_views.scenarios, name="scenarios"),
    path(
        W + "capacity/scenarios/compare/", scenarios_views.scenario_compare, name="scenario-compare"
    ),
    path(W + "capacity/scenarios/<int:scenario_id>/", scenarios_views.scenario, name="scenario"),
    path(
        W + "capacity/scenarios/<int:scenario_id>/progress/",
        scenarios_views.scenario_progress,
        name="scenario-progress",
    ),
    path(
        W + "capacity/scenarios/<int:scenario_id>/recompute/",
        scenarios_views.scenario_recompute,
        name="scenario-recompute",
    ),
    path(
        W + "capacity/scenarios/<int:scenario_id>/apply/",
        scenarios_views.scenario_apply,
        name="scenario-apply",
    ),
    path(
        W + "capacity/scenarios/<int:scenario_id>/delete/",
        scenarios_views.scenario_delete,
        name="scenario-delete",
    ),
]
