from django.urls import path

from motcua.portal.views import catalog, contacts, lookup, submission

app_name = "portal"

urlpatterns = [
    path("", catalog.home, name="home"),
    path("thu-tuc/", catalog.catalog, name="catalog"),
    path("thu-tuc/<str:code>/", catalog.procedure, name="procedure"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/", submission.submit, name="submit"),
    path("thu-tuc/<str:code>/nop-truc-tuyen/xem-lai/", submission.review, name="review"),
    path("ho-so/<str:code>/bien-nhan/", submission.receipt, name="receipt"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tra-cuu/ket-thuc/", lookup.forget, name="forget"),
    path("tra-cuu/<str:code>/", lookup.dossier, name="dossier"),
    path("tra-cuu/<str:code>/bo-sung/", lookup.supplement, name="supplement"),
    path("tra-cuu/<str:code>/danh-gia/", lookup.rate, name="rate"),
    path("lien-he/", contacts.contacts, name="contacts"),
    path("lien-he/phan-anh/", contacts.feedback, name="feedback"),
]
