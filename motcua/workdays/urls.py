from django.urls import path

from motcua.workdays import views

app_name = "workdays"

urlpatterns = [
    path("", views.this_year, name="this_year"),
    path("<int:year>/", views.year_page, name="year"),
]
