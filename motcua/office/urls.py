from django.urls import path

from motcua.dossiers import policy
from motcua.office import (
    board_views,
    dossier_views,
    feedback_views,
    payment_views,
    pdf_views,
    reception_views,
    signing_views,
    views,
    work_views,
)

app_name = "office"

urlpatterns = [
    path("", views.home, name="home"),
    # dossiers (issue 5): work queues, the dossier page and one POST URL per action
    path("viec-cua-toi/", work_views.my_work, name="my_work"),
    path("ho-so/", work_views.unit_work, name="unit_work"),
    path("ho-so/<str:code>/", dossier_views.dossier_page, name="dossier"),
    *[
        path(f"ho-so/<str:code>/{slug}/", dossier_views.act, {"action": action}, name=name)
        for slug, action, name in (
            ("tiep-nhan", policy.ACCEPT, "accept"),
            ("tu-choi", policy.REFUSE, "refuse"),
            ("phan-cong", policy.ASSIGN, "assign"),
            ("hoan-thanh-buoc", policy.COMPLETE_STEP, "complete_step"),
            ("tra-lai-buoc", policy.RETURN_STEP, "return_step"),
            ("yeu-cau-bo-sung", policy.REQUEST_SUPPLEMENT, "request_supplement"),
            ("nhan-bo-sung", policy.RECEIVE_SUPPLEMENT, "receive_supplement"),
            ("xin-loi", policy.DRAFT_APOLOGY, "draft_apology"),
            ("xin-loi/<int:apology_id>/ky", policy.SIGN_APOLOGY, "sign_apology"),
            ("tra-ket-qua", policy.RETURN, "return_result"),
            ("dung", policy.STOP, "stop"),
        )
    ],
    path("ho-so/<str:code>/mau/<slug:form>.pdf", pdf_views.form_pdf, name="form_pdf"),
    # digital signatures (issue 16): preview, confirm, follow the signing request
    path(
        "ho-so/<str:code>/xin-loi/<int:apology_id>/ky-so/",
        signing_views.sign_apology,
        name="sign_apology_digitally",
    ),
    path(
        "ho-so/<str:code>/xin-loi/<int:apology_id>/xem-truoc.pdf",
        signing_views.apology_preview,
        name="apology_preview",
    ),
    path("ky-so/<int:request_id>/", signing_views.signing_request, name="signing_request"),
    # fees and receipts (issue 18)
    path("ho-so/<str:code>/thu-phi/", payment_views.collect, name="payment_collect"),
    path("bien-lai/<int:receipt_id>.pdf", payment_views.receipt_pdf, name="receipt_pdf"),
    path("bien-lai/<int:receipt_id>.xml", payment_views.receipt_as_xml, name="receipt_xml"),
    path("bien-lai/<int:receipt_id>/", payment_views.receipt_change, name="receipt_change"),
    path("thanh-toan/<int:payment_id>/hoan-tra/", payment_views.refund, name="payment_refund"),
    path("thu-phi/", payment_views.figures, name="payment_figures"),
    # reception at the desk
    path("tiep-nhan/", reception_views.reception, name="reception"),
    path("tiep-nhan/thu-tuc/", reception_views.procedure_search, name="procedure_search"),
    path("tiep-nhan/phieu.pdf", reception_views.intake_form_pdf, name="intake_form_pdf"),
    # leaders and supervisors
    path("xin-loi/", board_views.apologies, name="apologies"),
    path("bang-dieu-hanh/", board_views.board, name="board"),
    path("giam-sat/", board_views.supervision, name="supervision"),
    path("so-theo-doi/", pdf_views.logbook, name="logbook"),
    path("phan-anh/", feedback_views.feedback_list, name="feedback_list"),
    path("phan-anh/moi/", feedback_views.feedback_new, name="feedback_new"),
    path("phan-anh/<int:pk>/", feedback_views.feedback_detail, name="feedback_detail"),
    *[
        path(f"phan-anh/<int:pk>/{slug}/", view, name=f"feedback_{name}")
        for slug, view, name in (
            ("phan-loai", feedback_views.feedback_classify, "classify"),
            ("tra-loi", feedback_views.feedback_answer, "answer"),
            ("ket-thuc", feedback_views.feedback_close, "close"),
            ("tra-lai", feedback_views.feedback_return, "return"),
            ("cong-khai", feedback_views.feedback_publish, "publish"),
        )
    ],
]
