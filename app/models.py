"""Import every area's models, so the mapper and Alembic see all tables."""
from barcamp.accounts.models import Organiser  # noqa: F401
from barcamp.events.models import Event, Theme  # noqa: F401
from barcamp.participants.models import Participant  # noqa: F401
from barcamp.proposals.models import Coproposer, Proposal  # noqa: F401
from barcamp.voting.models import Ballot  # noqa: F401
from barcamp.quiz.models import QuizAnswer, QuizRun  # noqa: F401
from barcamp.privacy.models import EventPolicy  # noqa: F401
from barcamp.moderation.models import Report  # noqa: F401
from barcamp.schedule.models import Grid, GridSession, Room, Signup, Slot  # noqa: F401
from barcamp.workshops.models import Card, CardDot, Workshop, WorkshopMember, WorkshopTopic  # noqa: F401
from barcamp.regroupement.models import Merge, MergeSource  # noqa: F401
from barcamp.resources.models import ForumResource, ForumTerm, ResourceAttachment  # noqa: F401
from barcamp.restitution.models import RestitutionSettings  # noqa: F401
