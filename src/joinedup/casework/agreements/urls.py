"""Staff URLs of information-sharing agreements (added to casework's urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement-list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement-detail"),
    path("agreements/new/", views.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/history/", views.agreement_history, name="agreement-history"),
    path("agreements/<int:pk>/<slug:step>/", views.agreement_step, name="agreement-step"),
]
