"""URLs of the survey pages people reach from their e-mail, without an account (namespace "survey",
mounted at /s/ by the project): the question, the one-click answer, the comment after it, and the
opt-out from all surveys."""

from django.urls import path

from realization.views import public

urlpatterns = [
    path("<str:token>/", public.question, name="question"),
    # Before the answer: "comment" would otherwise be read as a score.
    path("<str:token>/comment/", public.comment, name="comment"),
    path("<str:token>/opt-out/", public.opt_out, name="opt_out"),
    path("<str:token>/<str:score>/", public.answer, name="answer"),
]
