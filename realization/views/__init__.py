"""Realize's pages, one module per subject."""

from realization.views.journey_map import *  # noqa: F403
