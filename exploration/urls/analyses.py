"""URLs of SWOT and PESTLE analyses, under /explore/analyses/."""

from django.urls import path

from exploration.views import analyses as views

urlpatterns = [
    path("analyses/", views.analysis_list, name="analysis_list"),
    path("analyses/swot/new/", views.swot_create, name="swot_create"),
    path("analyses/swot/<int:pk>/", views.swot_detail, name="swot_detail"),
    path("analyses/swot/<int:pk>/edit/", views.swot_edit, name="swot_edit"),
    path("analyses/swot/<int:pk>/delete/", views.swot_delete, name="swot_delete"),
    path("analyses/swot/<int:pk>/items/", views.swot_item_add, name="swot_item_add"),
    path("analyses/swot/<int:pk>/items/<int:item_pk>/edit/", views.swot_item_edit, name="swot_item_edit"),
    path(
        "analyses/swot/<int:pk>/items/<int:item_pk>/remove/", views.swot_item_remove, name="swot_item_remove"
    ),
    path("analyses/swot/<int:pk>/pull-pestle/", views.swot_pull_pestle, name="swot_pull_pestle"),
    path("analyses/pestle/new/", views.pestle_create, name="pestle_create"),
    path("analyses/pestle/<int:pk>/", views.pestle_detail, name="pestle_detail"),
    path("analyses/pestle/<int:pk>/edit/", views.pestle_edit, name="pestle_edit"),
    path("analyses/pestle/<int:pk>/delete/", views.pestle_delete, name="pestle_delete"),
    path("analyses/pestle/<int:pk>/factors/", views.pestle_factor_add, name="pestle_factor_add"),
    path(
        "analyses/pestle/<int:pk>/factors/<int:factor_pk>/edit/",
        views.pestle_factor_edit,
        name="pestle_factor_edit",
    ),
    path(
        "analyses/pestle/<int:pk>/factors/<int:factor_pk>/remove/",
        views.pestle_factor_remove,
        name="pestle_factor_remove",
    ),
]
