"""URLs of Agree: business-hours calendars, under /agree/."""

from django.urls import path

from agreements.views import calendars as views

urlpatterns = [
    path("calendars/", views.calendar_list, name="calendar_list"),
    path("calendars/new/", views.calendar_create, name="calendar_create"),
    path("calendars/<int:pk>/", views.calendar_detail, name="calendar_detail"),
    path("calendars/<int:pk>/edit/", views.calendar_edit, name="calendar_edit"),
    path("calendars/<int:pk>/delete/", views.calendar_delete, name="calendar_delete"),
    path("calendars/<int:pk>/closures/new/", views.calendar_closure_create, name="calendar_closure_create"),
    path("closures/<int:pk>/delete/", views.calendar_closure_delete, name="calendar_closure_delete"),
]
