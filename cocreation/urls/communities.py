"""URLs of Co-create: user communities and their members."""

from django.urls import path

from cocreation.views import communities

urlpatterns = [
    path("communities/", communities.community_list, name="community_list"),
    path("communities/new/", communities.community_new, name="community_new"),
    path("communities/<int:pk>/", communities.community_detail, name="community_detail"),
    path("communities/<int:pk>/edit/", communities.community_edit, name="community_edit"),
    path("communities/<int:pk>/delete/", communities.community_delete, name="community_delete"),
    path("communities/<int:pk>/members/new/", communities.member_new, name="member_new"),
    path("communities/members/<int:pk>/edit/", communities.member_edit, name="member_edit"),
    path("communities/members/<int:pk>/delete/", communities.member_delete, name="member_delete"),
]
