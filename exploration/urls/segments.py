"""URLs of market segments (members, personas, the add-member type-ahead) and the Pareto analysis."""

from django.urls import path

from exploration.views import segments as views

urlpatterns = [
    path("segments/", views.market_segment_list, name="market_segment_list"),
    path("segments/new/", views.market_segment_create, name="market_segment_create"),
    path("segments/<int:pk>/", views.market_segment_detail, name="market_segment_detail"),
    path("segments/<int:pk>/edit/", views.market_segment_edit, name="market_segment_edit"),
    path("segments/<int:pk>/delete/", views.market_segment_delete, name="market_segment_delete"),
    path("segments/<int:pk>/members/", views.market_segment_member_add, name="market_segment_member_add"),
    path(
        "segments/<int:pk>/members/<int:organization_pk>/remove/",
        views.market_segment_member_remove,
        name="market_segment_member_remove",
    ),
    path("segments/<int:pk>/candidates/", views.market_segment_candidates, name="market_segment_candidates"),
    path(
        "segments/<int:pk>/personas/", views.market_segment_persona_link, name="market_segment_persona_link"
    ),
    path(
        "segments/<int:pk>/personas/<int:persona_pk>/unlink/",
        views.market_segment_persona_unlink,
        name="market_segment_persona_unlink",
    ),
    path("pareto/", views.pareto_analysis, name="pareto_analysis"),
]
