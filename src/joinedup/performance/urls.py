from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<str:kind>/<int:pk>/report/", views.plan_report, name="plan-report"),
    path("plans/<str:kind>/<int:pk>/report.csv", views.plan_report_csv, name="plan-report-csv"),
    path("plans/<str:kind>/<int:pk>/report.pdf", views.plan_report_pdf, name="plan-report-pdf"),
    path("plans/<str:kind>/<int:pk>/indicators/new/", views.indicator_create, name="indicator-create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/returns/new/", views.return_create, name="return-create"),
    path("indicators/<int:pk>/commentary/", views.commentary_edit, name="commentary"),
    path("indicators/<int:pk>/recompute/", views.indicator_recompute, name="recompute"),
    path("indicators/<int:pk>/recommend/", views.indicator_recommend, name="recommend"),
    path("indicators/<int:pk>/comment/", views.indicator_comment, name="comment"),
    path("panel-comments/<int:pk>/recommend/", views.comment_recommend, name="comment-recommend"),
]
