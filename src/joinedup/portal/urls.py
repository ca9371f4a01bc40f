"""Public site URLs (namespace `portal`)."""

from django.urls import path
from django.views.i18n import set_language

from joinedup.portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("your-area/", views.area_search, name="area-search"),
    path("your-area/<str:code>/", views.area_page, name="area"),
    path("your-area/<str:code>/crime.<str:fmt>", views.area_figures, name="area-figures"),
    path("healthz", views.healthz, name="healthz"),
    # The language switch in the public layout posts here (Django's view: a cookie, then back to the page).
    path("language/", set_language, name="language"),
]
