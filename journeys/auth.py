"""Authentication that loads a user's roles with the user: one query fewer on every request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from journeys.roles import remember_roles, role_names_subquery


class RoleLoadingModelBackend(ModelBackend):
    """Django's model backend; the session's user arrives with the names of their roles."""

    def get_user(self, user_id):
        user = (
            get_user_model()
            ._default_manager.annotate(dsv_role_names=role_names_subquery())
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user, user.dsv_role_names)
        return user


class RoleLoadingTokenAuthentication(TokenAuthentication):
    """DRF's token authentication; the token's user arrives with the names of their roles."""

    def authenticate_credentials(self, key):
        token = (
            self.get_model()
            .objects.select_related("user")
            .annotate(dsv_role_names=role_names_subquery("user_id"))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        remember_roles(token.user, token.dsv_role_names)
        return (token.user, token)
