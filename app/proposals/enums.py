"""Lifecycle of a proposed topic."""
from __future__ import annotations

import enum


class ProposalStatus(enum.StrEnum):
    VISIBLE = "visible"
    #: withdrawn by its author during the proposals phase
    WITHDRAWN = "withdrawn"
    #: hidden by the organiser, with a reason; kept, never shown nor counted
    HIDDEN = "hidden"
    #: merged into another topic by the organiser (app/regroupement); kept, readable in the trail
    MERGED = "merged"
