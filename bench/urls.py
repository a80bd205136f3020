"""The application's URLs, plus the two reference points the submit benchmark compares with."""

from django.urls import path

from bench import ceiling
from sangkien.urls import urlpatterns as app_urlpatterns

urlpatterns = [
    path("bench/hello/", ceiling.hello, name="bench_hello"),
    path("bench/ceiling/", ceiling.bare_insert, name="bench_ceiling"),
    *app_urlpatterns,
]
