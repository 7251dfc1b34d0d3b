from django.urls import URLPattern, path

from headway.results import views

app_name = "results"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = [
    path(W + "results/", views.results_page, name="results"),
    path(W + "results/import/", views.import_page, name="import"),
]

from headway.results.reviews import views as review_views  # noqa: E402

urlpatterns += [
    path(W + "reviews/", review_views.reviews_page, name="reviews"),
    path(W + "reviews/<int:review_id>/", review_views.review_page, name="review"),
    path(W + "learnings/", review_views.learnings_page, name="learnings"),
    path(W + "learnings/hint/", review_views.learnings_hint, name="learnings-hint"),
    path(
        W + "learnings/campaign/<int:campaign_id>/",
        review_views.campaign_learnings,
        name="campaign-learnings",
    ),
    path(
        W + "learnings/<int:learning_id>/apply/",
        review_views.learning_apply,
        name="learning-apply",
    ),
]

from headway.results.attribution_views import attribution_page  # noqa: E402

urlpatterns.append(path(W + "results/attribution/", attribution_page, name="attribution"))

from headway.results import mapping_views  # noqa: E402
from headway.results.currency_views import rates_page  # noqa: E402

urlpatterns += [
    path(W + "results/mappings/", mapping_views.mappings_page, name="mappings"),
    path(W + "results/mappings/new/", mapping_views.mapping_page, name="mapping-new"),
    path(W + "results/mappings/<int:mapping_id>/", mapping_views.mapping_page, name="mapping"),
    path(W + "results/rates/", rates_page, name="rates"),
]
