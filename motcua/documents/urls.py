from django.urls import path

from motcua.documents import views

app_name = "documents"

urlpatterns = [
    path("so-ket-qua/", views.register, name="register"),
    path("ho-so/<str:code>/tep/", views.upload, name="upload"),
    path("ho-so/<str:code>/dung-lai/", views.reuse, name="reuse"),
    path("ho-so/<str:code>/ket-qua/", views.result, name="result"),
    path("ho-so/<str:code>/tep/<int:document_id>/", views.viewer, name="viewer"),
    path("ho-so/<str:code>/tep/<int:document_id>/noi-dung/", views.content, name="content"),
    path("ho-so/<str:code>/tep/<int:document_id>/trang/<int:page>/", views.page, name="page"),
    path("ho-so/<str:code>/tep/<int:document_id>/doi-chieu/", views.check, name="check"),
]
