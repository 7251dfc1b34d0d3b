from django.urls import URLPattern

app_name = "results"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = []
