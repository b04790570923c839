from django.urls import path

from motcua.portal.views import catalog, contacts, lookup, payments, submission
from motcua.portal.views import verify as verify_views

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
    path("tra-cuu/<str:code>/thanh-toan/", payments.pay, name="pay"),
    path("tra-cuu/<str:code>/thanh-toan/ket-qua/", payments.payment_return, name="payment_return"),
    path(
        "tra-cuu/<str:code>/bien-lai/<int:receipt_id>.pdf",
        payments.receipt_pdf,
        name="receipt_pdf",
    ),
    path("lien-he/", contacts.contacts, name="contacts"),
    path("xac-thuc/", verify_views.verify, name="verify"),
    path("lien-he/phan-anh/", contacts.feedback, name="feedback"),
    path("lien-he/phan-anh/theo-doi/", contacts.feedback_lookup, name="feedback_lookup"),
]
