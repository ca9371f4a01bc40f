"""Staff URLs for domestic homicide reviews, included in csp's (namespace `csp`)."""

from django.urls import path

from . import views

urlpatterns = [
    path("dhrs/", views.dhr_list, name="dhr-list"),
    path("dhrs/<int:pk>/", views.dhr_detail, name="dhr-detail"),
    path("dhrs/<int:pk>/edit/", views.dhr_edit, name="dhr-edit"),
    path(
        "dhrs/<int:pk>/recommendations/new/",
        views.dhr_recommendation_create,
        name="dhr-recommendation-create",
    ),
    path("dhr-recommendations/<int:pk>/edit/", views.dhr_recommendation_edit, name="dhr-recommendation-edit"),
    path("<str:code>/dhrs/new/", views.dhr_create, name="dhr-create"),
]
