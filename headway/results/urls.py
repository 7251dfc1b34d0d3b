from django.urls import URLPattern, path

from headway.results import views

app_name = "results"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = [
    path(W + "results/", views.results_page, name="results"),
    path(W + "results/import/", views.import_page, name="import"),
]
