from django.urls import path

from motcua.queueing import figures, views

app_name = "queueing"

urlpatterns = [
    path("ve/<str:token>/", views.phone, name="phone"),
    path("quay-cua-toi/", views.panel, name="panel"),
    path("quay-cua-toi/tiep-nhan/", views.receive_from_ticket, name="receive"),
    path("quay-cua-toi/<slug:action>/", views.act, name="act"),
    path("<str:unit>/kiosk/", views.kiosk, name="kiosk"),
    path("<str:unit>/kiosk/in/<str:token>/", views.printed, name="printed"),
    path("<str:unit>/man-hinh/", views.display, name="display"),
    path("<str:unit>/danh-gia/<int:counter>/", views.tablet, name="tablet"),
    path("<str:unit>/so-lieu/", figures.figures_page, name="figures"),
    path("<str:unit>/so-lieu.xlsx", figures.figures_xlsx, name="figures_xlsx"),
]

booking_urlpatterns = [
    path("", views.booking, name="booking"),
    path("huy/", views.cancel_booking, name="cancel_booking"),
]
