"""Writes of Explore: SWOT and PESTLE analyses and their items.

Who may write depends on the subject. An analysis of our own organization (the provider) or of a market
segment is the provider's shared view of its market: every relationship manager and administrator
shapes it. An analysis of one organization belongs with that account: only those who may see the
account may touch it, and someone who may not see it learns nothing (404). The service desk and
analysts only read. Each service owns its transaction and raises ApplicationError naming the field on
bad input, with nothing saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from exploration.models import (
    AnalysisSubject,
    MarketSegment,
    PestleAnalysis,
    PestleArea,
    PestleEffect,
    PestleFactor,
    SwotAnalysis,
    SwotItem,
    SwotQuadrant,
)
from journeys import roles
from journeys.base import ApplicationError
from journeys.models import Organization
from journeys.selectors import organization_is_visible

__all__ = [
    "ANALYSIS_FIELDS",
    "PESTLE_FACTOR_FIELDS",
    "SCALE_MAX",
    "SCALE_MIN",
    "SWOT_ITEM_FIELDS",
    "pestle_analysis_create",
    "pestle_analysis_delete",
    "pestle_analysis_update",
    "pestle_factor_add",
    "pestle_factor_remove",
    "pestle_factor_update",
    "swot_analysis_create",
    "swot_analysis_delete",
    "swot_analysis_update",
    "swot_item_add",
    "swot_item_remove",
    "swot_item_update",
    "swot_pull_pestle_factors",
]

ANALYSIS_FIELDS = ("title", "subject", "organization", "segment", "analysed_on", "notes")
SWOT_ITEM_FIELDS = ("quadrant", "text", "weight")
PESTLE_FACTOR_FIELDS = ("area", "factor", "description", "effect", "impact", "likelihood")
# Weights, impacts and likelihoods all run on the same five-point scale.
SCALE_MIN, SCALE_MAX = 1, 5
EXTERNAL_QUADRANTS = (SwotQuadrant.OPPORTUNITY, SwotQuadrant.THREAT)
# A PESTLE factor lands in the SWOT quadrant of the same name.
QUADRANT_OF_EFFECT = {
    PestleEffect.OPPORTUNITY: SwotQuadrant.OPPORTUNITY,
    PestleEffect.THREAT: SwotQuadrant.THREAT,
}

type Analysis = SwotAnalysis | PestleAnalysis


# --- rights ---------------------------------------------------------------------------------------


def _require_writer(actor) -> None:
    if not roles.may_manage_accounts(actor):
        raise PermissionDenied(
            "Only relationship managers and administrators change SWOT and PESTLE analyses."
        )


def _require_access(actor, analysis: Analysis) -> None:
    """Writing to an existing analysis: the role first, then (for an account's analysis) the account.
    Someone who may not see the account gets the answer they would get for a missing analysis."""
    _require_writer(actor)
    if analysis.subject == AnalysisSubject.ORGANIZATION and not organization_is_visible(
        actor, analysis.organization
    ):
        raise Http404("No such analysis.")


# --- validation -----------------------------------------------------------------------------------


def _fail(fields: dict[str, list[str]]) -> None:
    if fields:
        raise ApplicationError(next(iter(fields.values()))[0], fields=fields)


def _full_clean(instance, *, exclude: Iterable[str]) -> None:
    """Types, choices and lengths of the model's own fields, reported per field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        _fail({name: [str(text) for text in messages] for name, messages in error.message_dict.items()})


def _scale_errors(values: dict[str, Any], labels: dict[str, str]) -> dict[str, list[str]]:
    errors = {}
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or not SCALE_MIN <= value <= SCALE_MAX:
            errors[name] = [f"{labels[name]} runs from {SCALE_MIN} to {SCALE_MAX}; {value!r} is outside it."]
    return errors


def _unknown(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    _fail({name: ["Unknown field."] for name in unknown})


def _stripped(value: str | None) -> str:
    return (value or "").strip()


def _subject_errors(
    actor, subject: str, organization: Organization | None, segment: MarketSegment | None
) -> dict[str, list[str]]:
    """The subject and its link must agree: our own organization has neither, an organization
    subject names one the actor may see, a segment subject names a segment."""
    if subject not in AnalysisSubject.values:
        return {
            "subject": [
                "Choose what the analysis looks at: our own organization, an organization "
                "or a market segment."
            ]
        }
    errors: dict[str, list[str]] = {}
    if subject == AnalysisSubject.ORGANIZATION:
        # One the actor may not see gets the same answer as one that does not exist.
        if organization is None or not organization_is_visible(actor, organization):
            errors["organization"] = ["Choose one of the organizations you look after."]
    elif organization is not None:
        errors["organization"] = [
            "Leave the organization empty: this analysis is not about one organization."
        ]
    if subject == AnalysisSubject.SEGMENT:
        if segment is None:
            errors["segment"] = ["Choose the market segment this analysis looks at."]
    elif segment is not None:
        errors["segment"] = ["Leave the segment empty: this analysis is not about a market segment."]
    return errors


def _apply_analysis(actor, analysis: Analysis, fields: dict[str, Any]) -> bool:
    """Set the given fields on the analysis, check them all, and say whether anything changed.

    A new subject without its link clears the links that no longer fit, so switching an
    organization's analysis to "our own organization" needs only the subject; a link that is given
    explicitly must fit the subject.
    """
    _unknown(fields, ANALYSIS_FIELDS)
    subject = fields.get("subject", analysis.subject)
    organization = fields.get(
        "organization", analysis.organization if subject == AnalysisSubject.ORGANIZATION else None
    )
    segment = fields.get("segment", analysis.segment if subject == AnalysisSubject.SEGMENT else None)
    values = {
        "title": _stripped(fields.get("title", analysis.title)),
        "subject": subject,
        "organization": organization,
        "segment": segment,
        "analysed_on": fields.get("analysed_on") or analysis.analysed_on,
        "notes": _stripped(fields.get("notes", analysis.notes)),
    }
    errors = _subject_errors(actor, subject, organization, segment)
    if not values["title"]:
        errors["title"] = ["Give the analysis a title."]
    _fail(errors)
    changed = False
    for name, value in values.items():
        if getattr(analysis, name) != value:
            setattr(analysis, name, value)
            changed = True
    _full_clean(analysis, exclude=("organization", "segment", "owner", "subject"))
    return changed


def _analysis_create(model: type[Analysis], *, actor, **fields: Any) -> Analysis:
    _require_writer(actor)
    analysis = model(owner=actor)
    fields.setdefault("subject", AnalysisSubject.PROVIDER)
    _apply_analysis(actor, analysis, {name: value for name, value in fields.items() if value is not None})
    analysis.save()
    return analysis


def _analysis_update(model: type[Analysis], *, actor, analysis: Analysis, **fields: Any) -> Analysis:
    _require_access(actor, analysis)
    analysis = (
        model.objects.select_for_update(of=("self",))
        .select_related("organization", "segment")
        .get(pk=analysis.pk)
    )
    if _apply_analysis(actor, analysis, fields):
        analysis.save()
    return analysis


# --- SWOT -----------------------------------------------------------------------------------------


@transaction.atomic
def swot_analysis_create(
    *,
    actor,
    title: str,
    subject: str = AnalysisSubject.PROVIDER,
    organization: Organization | None = None,
    segment: MarketSegment | None = None,
    analysed_on=None,
    notes: str = "",
) -> SwotAnalysis:
    """Start a SWOT analysis of our own organization, an organization or a segment; the actor owns it."""
    return _analysis_create(
        SwotAnalysis,
        actor=actor,
        title=title,
        subject=subject,
        organization=organization,
        segment=segment,
        analysed_on=analysed_on,
        notes=notes,
    )


@transaction.atomic
def swot_analysis_update(*, actor, analysis: SwotAnalysis, **fields: Any) -> SwotAnalysis:
    """Change any of ANALYSIS_FIELDS; unchanged input writes nothing."""
    return _analysis_update(SwotAnalysis, actor=actor, analysis=analysis, **fields)


@transaction.atomic
def swot_analysis_delete(*, actor, analysis: SwotAnalysis) -> None:
    """Remove the analysis with its items; the PESTLE factors some items came from stay."""
    _require_access(actor, analysis)
    analysis.delete()


def _check_item(item: SwotItem) -> None:
    errors: dict[str, list[str]] = {}
    if item.quadrant not in SwotQuadrant.values:
        errors["quadrant"] = ["Choose strengths, weaknesses, opportunities or threats."]
    elif item.pestle_factor_id and item.quadrant not in EXTERNAL_QUADRANTS:
        # Strengths and weaknesses are inside the subject; a factor from outside stays outside.
        errors["quadrant"] = ["An item pulled from a PESTLE factor stays an opportunity or a threat."]
    if not item.text:
        errors["text"] = ["Write what the item is."]
    errors |= _scale_errors({"weight": item.weight}, {"weight": "Weight"})
    _fail(errors)
    _full_clean(item, exclude=("analysis", "pestle_factor", "quadrant", "weight"))


@transaction.atomic
def swot_item_add(*, actor, analysis: SwotAnalysis, quadrant: str, text: str, weight: int = 1) -> SwotItem:
    """Put a strength, weakness, opportunity or threat on the board, weighted 1 to 5."""
    _require_access(actor, analysis)
    item = SwotItem(analysis=analysis, quadrant=quadrant, text=_stripped(text), weight=weight)
    _check_item(item)
    item.save()
    return item


@transaction.atomic
def swot_item_update(*, actor, item: SwotItem, **fields: Any) -> SwotItem:
    """Change an item's quadrant, text or weight; unchanged input writes nothing."""
    _require_access(actor, item.analysis)
    _unknown(fields, SWOT_ITEM_FIELDS)
    item = SwotItem.objects.select_for_update().get(pk=item.pk)
    if "text" in fields:
        fields["text"] = _stripped(fields["text"])
    changed = [name for name, value in fields.items() if getattr(item, name) != value]
    if not changed:
        return item
    for name in changed:
        setattr(item, name, fields[name])
    _check_item(item)
    item.save()
    return item


@transaction.atomic
def swot_item_remove(*, actor, item: SwotItem) -> None:
    _require_access(actor, item.analysis)
    item.delete()


def _same_subject(first: Analysis, second: Analysis) -> bool:
    return (first.subject, first.organization_id, first.segment_id) == (
        second.subject,
        second.organization_id,
        second.segment_id,
    )


def _item_text(factor: PestleFactor) -> str:
    limit = SwotItem._meta.get_field("text").max_length
    text = f"{factor.factor}: {factor.description}" if factor.description else factor.factor
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@transaction.atomic
def swot_pull_pestle_factors(
    *, actor, analysis: SwotAnalysis, factors: Iterable[PestleFactor | int]
) -> list[SwotItem]:
    """Bring PESTLE opportunities and threats onto the SWOT board as opportunity and threat items,
    weighted by the factor's impact. Only factors of a PESTLE analysis of the same subject qualify,
    so an item never carries an account's findings into an analysis others may read. A factor
    already on the board is left as it is (a repeated pull changes nothing); returns the new items.
    """
    _require_access(actor, analysis)
    wanted = {factor.pk if isinstance(factor, PestleFactor) else factor for factor in factors}
    if not wanted:
        _fail({"factors": ["Choose at least one PESTLE factor to pull in."]})
    if not all(isinstance(pk, int) and not isinstance(pk, bool) for pk in wanted):
        _fail({"factors": ["Give the factors by their ids."]})
    found = {
        factor.pk: factor for factor in PestleFactor.objects.filter(pk__in=wanted).select_related("analysis")
    }
    # The same subject means the same organization, which the actor may see (checked above), so
    # this one test also keeps out factors of analyses the actor may not see.
    refused = sorted(
        pk for pk in wanted if pk not in found or not _same_subject(found[pk].analysis, analysis)
    )
    if refused:
        _fail(
            {
                "factors": [
                    "Pull only factors of a PESTLE analysis of the same subject; "
                    f"not available: {', '.join(str(pk) for pk in refused)}."
                ]
            }
        )
    on_board = set(
        SwotItem.objects.filter(analysis=analysis, pestle_factor_id__in=wanted).values_list(
            "pestle_factor_id", flat=True
        )
    )
    new_items = [
        SwotItem(
            analysis=analysis,
            quadrant=QUADRANT_OF_EFFECT[factor.effect],
            text=_item_text(factor),
            weight=factor.impact,
            pestle_factor=factor,
        )
        for pk, factor in sorted(found.items())
        if pk not in on_board
    ]
    for item in new_items:
        # A concurrent pull of the same factor loses at the unique constraint; its savepoint keeps
        # this transaction usable and the item already on the board is the one that counts.
        try:
            with transaction.atomic():
                item.save()
        except IntegrityError:
            item.pk = None
    return [item for item in new_items if item.pk]


# --- PESTLE ---------------------------------------------------------------------------------------


@transaction.atomic
def pestle_analysis_create(
    *,
    actor,
    title: str,
    subject: str = AnalysisSubject.PROVIDER,
    organization: Organization | None = None,
    segment: MarketSegment | None = None,
    analysed_on=None,
    notes: str = "",
) -> PestleAnalysis:
    """Start a PESTLE analysis of the world around our own organization, an organization or a segment."""
    return _analysis_create(
        PestleAnalysis,
        actor=actor,
        title=title,
        subject=subject,
        organization=organization,
        segment=segment,
        analysed_on=analysed_on,
        notes=notes,
    )


@transaction.atomic
def pestle_analysis_update(*, actor, analysis: PestleAnalysis, **fields: Any) -> PestleAnalysis:
    """Change any of ANALYSIS_FIELDS; unchanged input writes nothing. Opportunities and threats
    already pulled into a SWOT stay there, whatever the PESTLE's subject becomes."""
    return _analysis_update(PestleAnalysis, actor=actor, analysis=analysis, **fields)


@transaction.atomic
def pestle_analysis_delete(*, actor, analysis: PestleAnalysis) -> None:
    """Remove the analysis and its factors; SWOT items pulled from them stay, without the link."""
    _require_access(actor, analysis)
    analysis.delete()


def _check_factor(factor: PestleFactor) -> None:
    errors: dict[str, list[str]] = {}
    if factor.area not in PestleArea.values:
        errors["area"] = ["Choose one of the six PESTLE areas."]
    if not factor.factor:
        errors["factor"] = ["Name the factor, e.g. one of the suggestions for its area."]
    if factor.effect not in PestleEffect.values:
        errors["effect"] = ["Say whether the factor is an opportunity or a threat."]
    errors |= _scale_errors(
        {"impact": factor.impact, "likelihood": factor.likelihood},
        {"impact": "Impact", "likelihood": "Likelihood"},
    )
    _fail(errors)
    _full_clean(factor, exclude=("analysis", "area", "effect", "impact", "likelihood"))


@transaction.atomic
def pestle_factor_add(
    *,
    actor,
    analysis: PestleAnalysis,
    area: str,
    factor: str,
    effect: str,
    description: str = "",
    impact: int = 3,
    likelihood: int = 3,
) -> PestleFactor:
    """Record an external factor in one of the six areas, as an opportunity or a threat."""
    _require_access(actor, analysis)
    row = PestleFactor(
        analysis=analysis,
        area=area,
        factor=_stripped(factor),
        description=_stripped(description),
        effect=effect,
        impact=impact,
        likelihood=likelihood,
    )
    _check_factor(row)
    row.save()
    return row


@transaction.atomic
def pestle_factor_update(*, actor, pestle_factor: PestleFactor, **fields: Any) -> PestleFactor:
    """Change any of PESTLE_FACTOR_FIELDS; unchanged input writes nothing. SWOT items pulled from
    the factor keep what they were given: the SWOT's owner weighs them on the board. (The factor is
    `pestle_factor` here because `factor` is one of the fields: its name.)"""
    _require_access(actor, pestle_factor.analysis)
    _unknown(fields, PESTLE_FACTOR_FIELDS)
    row = PestleFactor.objects.select_for_update().get(pk=pestle_factor.pk)
    for name in ("factor", "description"):
        if name in fields:
            fields[name] = _stripped(fields[name])
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    if not changed:
        return row
    for name in changed:
        setattr(row, name, fields[name])
    _check_factor(row)
    row.save()
    return row


@transaction.atomic
def pestle_factor_remove(*, actor, pestle_factor: PestleFactor) -> None:
    _require_access(actor, pestle_factor.analysis)
    pestle_factor.delete()
