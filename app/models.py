"""Import every area's models, so the mapper and Alembic see all tables."""
from app.accounts.models import Organiser  # noqa: F401
from app.events.models import Event, Theme  # noqa: F401
from app.participants.models import Participant  # noqa: F401
from app.proposals.models import Coproposer, Proposal  # noqa: F401
from app.voting.models import Ballot  # noqa: F401
from app.quiz.models import QuizAnswer, QuizRun  # noqa: F401
from app.privacy.models import EventPolicy  # noqa: F401
from app.moderation.models import Report  # noqa: F401
from app.schedule.models import Grid, GridSession, Room, Signup, Slot  # noqa: F401
from app.workshops.models import Card, CardDot, Workshop, WorkshopMember, WorkshopTopic  # noqa: F401
from app.regroupement.models import Merge, MergeSource  # noqa: F401
from app.resources.models import ForumResource, ForumTerm, ResourceAttachment  # noqa: F401
from app.restitution.models import RestitutionSettings  # noqa: F401
