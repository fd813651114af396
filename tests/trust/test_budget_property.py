"""No sequence of votes, hides, restores, reports, merges, undos, erasures and card dots overspends a budget.

A Hypothesis state machine drives two forums of the real SQLite database through the real services
(each call in its own write transaction, as the actions run them; refusals are legitimate outcomes):
forum A votes on topics (dots, 3 per voter, at most 2 per topic), forum B runs a workshop board (3
dots per participant, at most 2 per card). The forums are small and budgets start spent, and after
a hide the freed dots may be spent at once: the dangerous moment is a restore after that.

After every step: nobody's ballots on visible topics, nor dots on a workshop's visible cards,
exceed the budget; `barcamp recount`'s checks (the recount of the stored ballots against the live
ranking, and the budgets) find nothing. Without the trimming of issue 19, 50 examples find an
overspent budget in most runs (a failure is remembered in .hypothesis and replayed first).
"""
from __future__ import annotations

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition, rule,
                                 run_state_machine_as_test)
from sqlalchemy import func, select

from barcamp.common.db import write_transaction
from barcamp.common.errors import DomainError
from barcamp.events.models import Event
from barcamp.events.schemas import EventCreate
from barcamp.events.services import create_event, transition_phase
from barcamp.extensions import db
from barcamp.participants.models import Participant
from barcamp.participants.services import join_event
from barcamp.privacy.policy import update_policy
from barcamp.privacy.services import budget_breaches, forget_participant, recount
from barcamp.proposals.enums import ProposalStatus
from barcamp.proposals.models import Proposal
from barcamp.proposals.schemas import ProposalCreate
from barcamp.proposals.services import create_proposal, set_hidden
from barcamp.regroupement.models import Merge
from barcamp.regroupement.services import merge_topics, undo_merge
from barcamp.voting.ballots import BallotRequest, record_ballots
from barcamp.voting.models import Ballot
from barcamp.voting.services import my_votes
from barcamp.workshops import services as workshops
from barcamp.workshops.enums import CardSection
from barcamp.workshops.models import Card, CardDot
from barcamp.workshops.services import Caller

TOPIC_BUDGET, CARD_BUDGET = 3, 3
VOTERS, TOPICS, CARDS = 3, 3, 3


def _attempt(work) -> None:
    """Run one use case in its own write transaction; a refusal (DomainError) changes nothing."""
    try:
        with write_transaction():
            work()
    except DomainError:
        pass


def _forum(organiser_id: int, title: str, phases: list[str], **rules) -> Event:
    """A forum moved through `phases`, where one report hides a topic or a card (so reviews happen often)."""
    event = create_event(organiser_id, EventCreate(title=title, **rules))
    update_policy(event, report_threshold=1)
    for phase in phases:
        transition_phase(event, phase)
    return event


def test_no_sequence_of_moves_overspends_a_budget(app, make_organiser):
    organiser = make_organiser()

    class Budgets(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            with write_transaction():
                votes = _forum(organiser["id"], "Forum A", ["proposals"],
                               voting={"mode": "dots", "dots": TOPIC_BUDGET, "max_per_proposal": 2})
                self.topics = [create_proposal(votes, None, ProposalCreate(title=f"Sujet {i}")).id
                               for i in range(TOPICS)]
                self.voters = [join_event(votes, f"Votant {i}")[0].id for i in range(VOTERS)]
                transition_phase(votes, "voting")
                board = _forum(organiser["id"], "Forum B", ["proposals", "voting", "closed", "workshops"])
                self.people = [join_event(board, f"Membre {i}")[0].id for i in range(VOTERS)]
                workshop = workshops.create_workshop(board, "Atelier", dots_budget=CARD_BUDGET, max_per_card=2)
                # some cards by a participant (their erasure deletes them), the others by the organiser
                writers = [Caller("participant", participant_id=self.people[i % 2], event_id=board.id)
                           if i < CARDS // 2 else Caller("organiser", organiser_id=organiser["id"])
                           for i in range(CARDS)]
                self.cards = [workshops.add_card(workshop, who, CardSection.PROPOSITIONS, f"Idée {i}").id
                              for i, who in enumerate(writers)]
                self.a, self.b, self.workshop = votes.id, board.id, workshop.id
            self.merges: list[int] = []
            self.erased = False

        @initialize(data=st.data())
        def spend(self, data):
            """Everybody starts with most of their dots spent: a hide then frees dots worth spending again."""
            ballots = [BallotRequest(self.a, voter, topic, data.draw(st.integers(1, 2)))
                       for voter in self.voters for topic in data.draw(st.permutations(self.topics))]
            _attempt(lambda: record_ballots(ballots))  # those past the budget are refused, as live
            with write_transaction():
                for person in self.people:
                    left = CARD_BUDGET
                    for card in data.draw(st.permutations(self.cards)):
                        value = min(data.draw(st.integers(1, 2)), left)
                        if value:
                            workshops.record_dots(self.workshop, person, card, value)
                            left -= value

        # -- forum A: topics ------------------------------------------------------------------------------
        def topics_in(self, status: ProposalStatus) -> list[int]:
            return list(db.session.scalars(select(Proposal.id).where(
                Proposal.event_id == self.a, Proposal.status == status).order_by(Proposal.id)))

        @precondition(lambda self: self.topics_in(ProposalStatus.VISIBLE))
        @rule(data=st.data(), top_up=st.booleans())
        def vote(self, data, top_up):
            """A few votes from phones, checked and written together; or every voter spends what they have left."""
            if top_up:
                self.spend_what_is_left(data)
                return
            votes = data.draw(st.lists(st.tuples(st.sampled_from(self.voters),
                                                 st.sampled_from(self.topics_in(ProposalStatus.VISIBLE)),
                                                 st.integers(0, 2)), min_size=1, max_size=4))
            # one transaction, as the live group commit batches concurrent votes (app/voting/ballots.py)
            _attempt(lambda: record_ballots([BallotRequest(self.a, *vote) for vote in votes]))

        def spend_what_is_left(self, data):
            """Every voter spends the dots they have left on visible topics (after a hide: the freed ones)."""
            visible, event, requests = self.topics_in(ProposalStatus.VISIBLE), db.session.get(Event, self.a), []
            for voter in filter(None, (db.session.get(Participant, v) for v in self.voters)):
                mine, left = my_votes(event, voter)
                for topic in data.draw(st.permutations(visible)):
                    more = min(2 - mine.get(topic, 0), left)
                    if more > 0:
                        requests.append(BallotRequest(self.a, voter.id, topic, mine.get(topic, 0) + more))
                        left -= more
            _attempt(lambda: record_ballots(requests))

        @precondition(lambda self: self.topics_in(ProposalStatus.VISIBLE))
        @rule(data=st.data(), door=st.sampled_from(["organiser", "report"]), spend=st.booleans())
        def hide_topic(self, data, door, spend):
            """The organiser hides a topic (dashboard, API), or a participant reports it (one report hides);
            its voters may then spend the dots that came back."""
            from barcamp.moderation.services import report_proposal

            topic = data.draw(st.sampled_from(self.topics_in(ProposalStatus.VISIBLE)))
            reporter = data.draw(st.sampled_from(self.voters))

            def work():
                if door == "organiser":
                    set_hidden(db.session.get(Proposal, topic), True, "Hors sujet")
                elif (participant := db.session.get(Participant, reporter)) is not None:
                    report_proposal(db.session.get(Event, self.a), participant, topic, "signalé")
            _attempt(work)
            if spend:
                self.spend_what_is_left(data)

        @precondition(lambda self: self.topics_in(ProposalStatus.HIDDEN))
        @rule(data=st.data(), door=st.sampled_from(["show", "restore", "confirm"]))
        def restore_topic(self, data, door):
            """The organiser shows a hidden topic again (dashboard, API), or reviews its reports."""
            from barcamp.moderation.services import review

            topic = data.draw(st.sampled_from(self.topics_in(ProposalStatus.HIDDEN)))
            if door == "show":
                _attempt(lambda: set_hidden(db.session.get(Proposal, topic), False))
            else:
                _attempt(lambda: review(db.session.get(Event, self.a), topic, door))

        @precondition(lambda self: len(self.topics_in(ProposalStatus.VISIBLE)) >= 2)
        @rule(data=st.data(), into=st.booleans())
        def merge(self, data, into):
            """The organiser merges two or three topics, into the first or into a new one."""
            group = data.draw(st.lists(st.sampled_from(self.topics_in(ProposalStatus.VISIBLE)), min_size=2,
                                       max_size=3, unique=True))

            def work():
                merge = merge_topics(db.session.get(Event, self.a), group, "Regroupement",
                                     into=group[0] if into else None)
                self.merges.append(merge.id)
            _attempt(work)

        @precondition(lambda self: self.merges)
        @rule(data=st.data())
        def undo(self, data):
            """The organiser undoes a merge (refused when it would overspend, or out of order)."""
            merge_id = data.draw(st.sampled_from(self.merges))
            _attempt(lambda: undo_merge(db.session.get(Event, self.a), db.session.get(Merge, merge_id)))

        # -- forum B: a workshop board ----------------------------------------------------------------------
        def cards_where(self, *conditions) -> list[int]:
            return list(db.session.scalars(select(Card.id).where(Card.workshop_id == self.workshop, *conditions)
                                           .order_by(Card.id)))

        @precondition(lambda self: self.cards_where(*workshops.visible_only()))
        @rule(data=st.data(), top_up=st.booleans())
        def card_dot(self, data, top_up):
            """A few dots from phones; or every participant spends what they have left."""
            if top_up:
                self.spend_dots_left(data)
                return
            dots = data.draw(st.lists(st.tuples(st.sampled_from(self.people),
                                                st.sampled_from(self.cards_where(*workshops.visible_only())),
                                                st.integers(0, 2)), min_size=1, max_size=4))
            for person, card, value in dots:
                _attempt(lambda: workshops.record_dots(self.workshop, person, card, value))

        def spend_dots_left(self, data):
            """Every participant spends the dots they have left on visible cards (after a hide: the freed ones)."""
            visible = self.cards_where(*workshops.visible_only())
            for person in self.people:
                mine = workshops.my_dots(self.workshop, person)
                left = CARD_BUDGET - sum(mine.values())
                for card in data.draw(st.permutations(visible)):
                    more = min(2 - mine.get(card, 0), left)
                    if more > 0:
                        _attempt(lambda: workshops.record_dots(self.workshop, person, card, mine.get(card, 0) + more))
                        left -= more

        @rule(data=st.data(), move=st.sampled_from(["report", "remove own"]), spend=st.booleans())
        def hide_card(self, data, move, spend):
            """A participant reports a card (one report hides it) or removes their own; the dots that came
            back may then be spent."""
            from barcamp.moderation.services import report_card

            card, who = data.draw(st.sampled_from(self.cards)), data.draw(st.sampled_from(self.people))

            def work():
                if move == "remove own":
                    workshops.remove_card(workshops.get_workshop(self.workshop),
                                          Caller("participant", participant_id=who, event_id=self.b), card)
                elif (participant := db.session.get(Participant, who)) is not None:
                    report_card(db.session.get(Event, self.b), participant, card, "signalée")
            _attempt(work)
            if spend:
                self.spend_dots_left(data)

        @precondition(lambda self: self.cards_where(Card.hidden_at.is_not(None)))
        @rule(data=st.data(), decision=st.sampled_from(["restore", "confirm"]))
        def restore_card(self, data, decision):
            """The organiser reviews a hidden card's reports."""
            from barcamp.moderation.services import review_card

            card = data.draw(st.sampled_from(self.cards_where(Card.hidden_at.is_not(None))))
            _attempt(lambda: review_card(db.session.get(Event, self.b), card, decision))

        # -- either forum -------------------------------------------------------------------------------------
        @precondition(lambda self: not self.erased)
        @rule(data=st.data())
        def erase(self, data):
            """A participant erases themselves (once per run: the others keep voting)."""
            who = data.draw(st.sampled_from(self.voters + self.people))

            def work():
                participant = db.session.get(Participant, who)
                forget_participant(db.session.get(Event, participant.event_id), participant)
                self.erased = True
            _attempt(work)

        # -- after every step -----------------------------------------------------------------------------------
        @invariant()
        def nobody_over_a_topic_budget(self):
            spent = db.session.execute(
                select(Ballot.participant_id, func.sum(Ballot.value)).join(Proposal, Proposal.id == Ballot.proposal_id)
                .where(Ballot.event_id == self.a, Proposal.status == ProposalStatus.VISIBLE)
                .group_by(Ballot.participant_id)).all()
            assert [(pid, total) for pid, total in spent if total > TOPIC_BUDGET] == []

        @invariant()
        def nobody_over_a_card_budget(self):
            spent = db.session.execute(
                select(CardDot.participant_id, func.sum(CardDot.value)).join(Card, Card.id == CardDot.card_id)
                .where(CardDot.workshop_id == self.workshop, *workshops.visible_only())
                .group_by(CardDot.participant_id)).all()
            assert [(pid, total) for pid, total in spent if total > CARD_BUDGET] == []

        @invariant()
        def recount_equals_the_live_results(self):
            forum_a, forum_b = db.session.get(Event, self.a), db.session.get(Event, self.b)
            _counted, _live, differences = recount(forum_a)
            assert differences == []
            assert budget_breaches(forum_a) + budget_breaches(forum_b) == []

        def teardown(self):
            db.session.rollback()

    with app.app_context():
        # No shrinking: every example builds two forums on the real database, so shrinking a failure takes
        # minutes; the failing sequence is printed as it was found (at most 15 steps). 50 examples run in
        # about 20 s on a laptop.
        run_state_machine_as_test(Budgets, settings=settings(
            max_examples=50, stateful_step_count=15, deadline=None,
            phases=[Phase.explicit, Phase.reuse, Phase.generate],
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
