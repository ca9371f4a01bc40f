"""Staff URLs of daily tasking: the board, the action sheet and tasking meetings (added to casework's urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("tasking/", views.tasking, name="tasking"),
    path("tasking/sheet/", views.action_sheet, name="action-sheet"),
    path("tasking/sheet.pdf", views.action_sheet_pdf, name="action-sheet-pdf"),
    path("tasking/meetings/", views.meeting_list, name="meeting-list"),
    path("tasking/meetings/new/", views.meeting_create, name="meeting-create"),
    path("tasking/meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
]
