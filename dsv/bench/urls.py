"""ROOT_URLCONF during `manage.py bench`: every real URL of the product plus the two bench-only views."""

from django.urls import path

from dsv.bench import views
from dsv.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    path("_bench/floor/", views.floor_page, name="bench_floor"),
    path("_bench/insert/", views.bare_insert, name="bench_insert"),
    *product_urlpatterns,
]
