from django.urls import path

from motcua.reports import accountability_views, views

app_name = "reports"

urlpatterns = [
    path("", views.board, name="board"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("cong-khai/", views.public, name="public"),
    path("cham-muon/", accountability_views.overtime, name="overtime"),
    path("766/", accountability_views.board_766, name="board766"),
]
