"""The forms of the page a consumer's owner of an action reaches through their e-mailed link."""

from __future__ import annotations

from django import forms

__all__ = ["CommentForm", "DoneForm"]

TEXT_LIMIT = 4000


class DoneForm(forms.Form):
    evidence = forms.CharField(
        label="What shows it done (optional)",
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A link, a reference or a short note, e.g. “accounts created, list sent on 3 May”.",
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Your comment",
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A question, what is in the way, or when you expect to finish.",
    )
