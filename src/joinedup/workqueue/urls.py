from django.urls import path

from . import views

app_name = "workqueue"

urlpatterns = [
    path("", views.your_work_page, name="your-work"),
    path("calendar/", views.calendar_page, name="calendar"),
    path("calendar/new/", views.calendar_new, name="calendar-new"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar-revoke"),
]
