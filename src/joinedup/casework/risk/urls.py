"""Staff URLs of the Risk Assessment Matrix and Joint Problem Solving plans (added to casework's urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "cases/<int:pk>/risk-assessments/new/",
        views.risk_assessment_create,
        name="risk-assessment-create",
    ),
    path("risk-assessments/<int:pk>/", views.risk_assessment_detail, name="risk-assessment-detail"),
    path("risk-assessments/due/", views.risk_due, name="risk-due"),
    path("risk-matrix/", views.risk_matrix, name="risk-matrix"),
    path("risk-matrix/settings/", views.risk_matrix_settings, name="risk-matrix-settings"),
    path("risk-matrix/questions/new/", views.risk_question_create, name="risk-question-create"),
    path("risk-matrix/questions/<int:pk>/retire/", views.risk_question_retire, name="risk-question-retire"),
    path("cases/<int:pk>/plan/new/", views.plan_create, name="plan-create"),
    path("cases/<int:pk>/plan/", views.plan_detail, name="plan-detail"),
    path("cases/<int:pk>/plan/actions/new/", views.plan_action_create, name="plan-action-create"),
    path("cases/<int:pk>/plan/reviews/new/", views.plan_review_create, name="plan-review-create"),
]
