"""The three faces: public pages for members, the office for officers, the API for machines."""

from django.urls import include, path

from sangkien.api.urls import api
from sangkien.office.admin_site import admin_site

urlpatterns = [
    path("", include("sangkien.public.urls")),
    path("office/", include("sangkien.office.urls")),
    path("office/admin/", admin_site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Operations (issue 6): liveness, readiness, Prometheus metrics. ProbeMiddleware answers these
# paths before the rest of the stack; the routes keep them reversible and reachable without it.
from sangkien.common import health, metrics  # noqa: E402 -- appended with its routes, kept together

urlpatterns += [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
]
