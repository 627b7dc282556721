"""Forms of a plan's goals. The services check the rules (the target date after the plan's start, the
value measured for an evaluation) and their ApplicationError lands on the field it names."""

from __future__ import annotations

from django import forms

from onboarding.models import GoalEvaluation, GoalTemplate, PlanGoal

__all__ = ["GoalEvaluationForm", "GoalForm"]

DATE = {"type": "date"}


def _max(name: str) -> int:
    return PlanGoal._meta.get_field(name).max_length


class GoalForm(forms.Form):
    template = forms.ChoiceField(
        choices=[("", "—"), *GoalTemplate.choices], required=False, label="Kind of goal"
    )
    description = forms.CharField(
        max_length=_max("description"), help_text="The outcome the customer agreed."
    )
    metric = forms.CharField(max_length=_max("metric"), help_text="What is measured to tell.")
    target = forms.CharField(max_length=_max("target"), help_text="The value to reach, with its unit.")
    target_date = forms.DateField(widget=forms.DateInput(attrs=DATE), label="Target date")

    @classmethod
    def initial_for(cls, goal: PlanGoal) -> dict:
        return {name: getattr(goal, name) for name in cls.base_fields}

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["template"] = data.get("template") or ""
        return data


class GoalEvaluationForm(forms.Form):
    evaluation = forms.ChoiceField(choices=GoalEvaluation.choices, label="How it turned out")
    result = forms.CharField(
        max_length=_max("result"), required=False, label="Value measured", help_text="Against the target."
    )
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, help_text="Where the figure comes from."
    )

    @classmethod
    def initial_for(cls, goal: PlanGoal) -> dict:
        return {"evaluation": goal.evaluation, "result": goal.result, "evidence": goal.evidence}
