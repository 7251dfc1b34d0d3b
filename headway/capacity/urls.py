from django.urls import URLPattern

app_name = "capacity"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = []
