"""URLs of the survey pages people reach from their e-mail, without an account (namespace "survey",
mounted at /s/ by the project): the question, the one-click answer and the comment after it."""

from django.urls import path

from realization.views import public

urlpatterns = [
    path("<str:token>/", public.question, name="question"),
    # Before the answer: "comment" would otherwise be read as a score.
    path("<str:token>/comment/", public.comment, name="comment"),
    path("<str:token>/<str:score>/", public.answer, name="answer"),
]
