"""URLs of Onboard: the board, my actions, plans, their goals and actions."""

from django.urls import path

from onboarding.views import actions, board, goals, plans

urlpatterns: list = [
    path("", board.board, name="board"),
    path("my-actions/", board.my_actions, name="my_actions"),
    path("accounts/<int:pk>/", plans.account_plans, name="account_plans"),
    path("accounts/<int:pk>/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", plans.plan_delete, name="plan_delete"),
    path("plans/<int:pk>/move/", plans.plan_transition, name="plan_transition"),
    path("plans/<int:pk>/accept/", plans.plan_accept, name="plan_accept"),
    path("plans/<int:pk>/goals/new/", goals.goal_create, name="goal_create"),
    path("goals/<int:pk>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<int:pk>/delete/", goals.goal_delete, name="goal_delete"),
    path("goals/<int:pk>/evaluate/", goals.goal_evaluate, name="goal_evaluate"),
    path("plans/<int:pk>/actions/new/", actions.action_create, name="action_create"),
    path("actions/<int:pk>/edit/", actions.action_edit, name="action_edit"),
    path("actions/<int:pk>/delete/", actions.action_delete, name="action_delete"),
    path("actions/<int:pk>/status/", actions.action_status, name="action_status"),
    path("actions/<int:pk>/comment/", actions.action_comment, name="action_comment"),
]
