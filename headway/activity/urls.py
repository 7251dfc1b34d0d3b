from django.urls import path

from headway.activity import views

app_name = "activity"
urlpatterns = [
    path("w/<slug:ws>/activity/", views.audit_trail, name="audit-trail"),
]
