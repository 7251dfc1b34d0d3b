from django.urls import URLPattern, path

from headway.capacity import views

app_name = "capacity"
W = "w/<slug:ws>/"
urlpatterns: list[URLPattern] = [
    path(W + "capacity/", views.load, name="load"),
    path(W + "capacity/people/", views.people, name="people"),
    path(W + "capacity/cell/", views.cell, name="cell"),
    path(W + "capacity/levelled/", views.levelled, name="levelled"),
    path(W + "capacity/cover/", views.cover, name="cover"),
    path(W + "capacity/cover/assign/", views.cover_assign, name="cover-assign"),
]
