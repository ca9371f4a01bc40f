"""Public site URLs (namespace `portal`)."""

from django.urls import path

from joinedup.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("your-area/", views.area_search, name="area-search"),
    path("your-area/<str:code>/", views.area_page, name="area"),
    path("your-area/<str:code>/crime.<str:fmt>", views.area_figures, name="area-figures"),
    path("healthz", views.healthz, name="healthz"),
]
