from django.urls import URLPattern

app_name = "insights"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = []
