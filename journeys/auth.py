"""Authentication that loads a user's roles and teams with the user: one query fewer on every request,
and account scopes that name the user's teams instead of looking them up."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from journeys.roles import remember_roles, remember_teams, role_names_subquery, team_ids_subquery


class RoleLoadingModelBackend(ModelBackend):
    """Django's model backend; the session's user arrives with the names of their roles and the ids of
    their teams."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.annotate(dsv_role_names=role_names_subquery(), dsv_team_ids=team_ids_subquery())
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user, user.dsv_role_names)
        remember_teams(user, user.dsv_team_ids)
        return user


class RoleLoadingTokenAuthentication(TokenAuthentication):
    """DRF's token authentication; the token's user arrives with the names of their roles and the ids
    of their teams."""

    def authenticate_credentials(self, key):
        token = (
            self.get_model()
            .objects.select_related("user")
            .annotate(
                dsv_role_names=role_names_subquery("user_id"), dsv_team_ids=team_ids_subquery("user_id")
            )
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        remember_roles(token.user, token.dsv_role_names)
        remember_teams(token.user, token.dsv_team_ids)
        return (token.user, token)
