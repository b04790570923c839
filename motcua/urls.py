from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from motcua.api.api import api
from motcua.office.views import healthz

admin.site.site_header = _("MotCua — Quản trị hệ thống một cửa điện tử")
admin.site.site_title = _("MotCua quản trị")
admin.site.index_title = _("Danh mục và cấu hình")

urlpatterns = [
    path("api/v1/", api.urls),  # first: the API's clients are the busiest
    path("", include("motcua.portal.urls")),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("can-bo/", include("motcua.office.urls")),
    path("thong-ke/", include("motcua.reports.urls")),
    path("lich/", include("motcua.workdays.urls")),
    path("admin/", admin.site.urls),
    path("open311/v2/", include("motcua.api.open311")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
