from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.access.login import ThrottledAdminLoginForm, ThrottledLoginView
from motcua.api import queue as queue_api
from motcua.api.api import api
from motcua.queueing.urls import booking_urlpatterns

admin.site.site_header = _("MotCua — Quản trị hệ thống một cửa điện tử")
admin.site.site_title = _("MotCua quản trị")
admin.site.index_title = _("Danh mục và cấu hình")
admin.site.login_form = ThrottledAdminLoginForm  # the same login limits as the page and the API

urlpatterns = [
    # The floor's event stream: an async view under the ASGI server (never a WSGI worker).
    path("api/v1/queue/units/<str:unit>/events", queue_api.events, name="queueing_events"),
    path("api/v1/", api.urls),  # first: the API's clients are the busiest
    path("", include("motcua.portal.urls")),
    path("", include("motcua.ops.urls")),  # /healthz, /readyz, /metrics
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "dang-nhap/",
        ThrottledLoginView.as_view(),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("can-bo/", include("motcua.office.urls")),
    path("can-bo/giay-to/", include("motcua.documents.urls")),
    path("thong-ke/", include("motcua.reports.urls")),
    path("lich/", include("motcua.workdays.urls")),
    path("quay/", include("motcua.queueing.urls")),
    path("dat-lich/", include((booking_urlpatterns, "booking"))),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("motcua.api.open311")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
