from django.urls import URLPattern, path

from headway.capacity import views

app_name = "capacity"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = [
    path(W + "capacity/", views.load, name="load"),
    path(W + "capacity/people/", views.people, name="people"),
]
