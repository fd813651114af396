"""The workshop domain: workshops, facilitators, board cards with optimistic versions, dots.

Plain functions on models and validated data; callers run writes inside write_transaction()
and broadcast after commit (app/workshops/actions.py). One module per concern, in layer order:

- `workshops`: reading and rights, creation, renaming, deletion, facilitators, members;
- `boards`: the JSON shapes of workshops and cards, the whole board, one caller's view of it;
- `cards`: who may write, adding, versioned edits, removal, merges;
- `dots`: dots on proposal cards.

This package re-exports them, so `from app.workshops import services` then `services.add_card(…)`
(and `from app.workshops.services import board_state`, used by app/realtime/workshop_boards.py) keep working.
"""
from barcamp.workshops.services.boards import (board_me, board_state, card_dot_totals, card_out, facilitator_out,
                                           my_dots, single_card_out, visible_cards, visible_only, workshop_topics,
                                           workshops_out)
from barcamp.workshops.services.cards import (EDITABLE_FIELDS, FACILITATOR_FIELDS, Caller, CardConflict, add_card,
                                          edit_card, merge_cards, remove_card, require_reporter)
from barcamp.workshops.services.dots import record_dots, trim_over_budget
from barcamp.workshops.services.workshops import (FACILITATOR_TOKEN_PREFIX, claim_facilitator, create_workshop,
                                              delete_workshop, get_workshop, hash_token, is_facilitator, is_member,
                                              join_workshop, list_workshops, may_read, member_of, rename_workshop,
                                              set_facilitator, workshops_from_ranking)

__all__ = [
    "EDITABLE_FIELDS", "FACILITATOR_FIELDS", "FACILITATOR_TOKEN_PREFIX", "Caller", "CardConflict", "add_card",
    "board_me", "board_state", "card_dot_totals", "card_out", "claim_facilitator", "create_workshop",
    "delete_workshop", "edit_card", "facilitator_out", "get_workshop", "hash_token", "is_facilitator", "is_member",
    "join_workshop", "list_workshops", "may_read", "member_of", "merge_cards", "my_dots", "record_dots",
    "remove_card", "rename_workshop", "require_reporter", "set_facilitator", "single_card_out", "trim_over_budget",
    "visible_cards",
    "visible_only", "workshop_topics", "workshops_from_ranking", "workshops_out",
]
