from django.urls import path

from motcua.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.board, name="board"),
    path("xep-hang/", views.ranking, name="ranking"),
    path("cong-khai/", views.public, name="public"),
]
