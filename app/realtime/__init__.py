"""The one place that emits Socket.IO messages: after commit, versioned, tallies coalesced.

Handlers commit, then call one function here (`proposal_changed`, `tally_changed`,
`board_changed` …); this package decides who hears it and how often. One module per concern:

- `rooms`: the `/live` namespace, the rooms of forums, audiences and workshops, the streams;
- `versions`: the message counters, in memory (one process) or in Redis (several workers: the
  Lua publish, the coalescing marks and the flusher lease);
- `fanout`: the paced broadcast to thousands of phones and the loop of every coalescing hub;
- `live`: a forum's messages, its coalesced tallies and quiz counts, and the app's hub;
- `schedule`: the grid's messages, coalesced after sign-ups;
- `workshop_boards`: the workshops' boards, coalesced like tallies.

This package re-exports them, so `from barcamp import realtime` then `realtime.tally_changed(…)`,
and `from barcamp.realtime import NAMESPACE`, keep working. A test that patches a module-level
constant patches it in the module that reads it (`barcamp.realtime.fanout.PACED_CHUNK`).
"""
from barcamp.realtime.fanout import PACED_CHUNK, emit_paced, run_every
from barcamp.realtime.live import (LiveHub, current_stream_versions, current_version, hub, init_app, phase_changed,
                               proposal_changed, quiz_answered, quiz_changed, tally_changed)
from barcamp.realtime.rooms import (NAMESPACE, PHONES, SCREENS, STREAMS, audience_room, event_room, queue_channel,
                                   stream_counter, workshop_room)
from barcamp.realtime.schedule import ScheduleHub, schedule_changed, signups_changed
from barcamp.realtime.versions import MemoryVersions, RedisVersions
from barcamp.realtime.workshop_boards import BoardHub, board_changed, board_version, boards

__all__ = [
    "NAMESPACE", "PACED_CHUNK", "PHONES", "SCREENS", "STREAMS", "BoardHub", "LiveHub", "MemoryVersions",
    "RedisVersions", "ScheduleHub", "audience_room", "board_changed", "board_version", "boards",
    "current_stream_versions", "current_version", "emit_paced", "event_room", "hub", "init_app", "phase_changed",
    "proposal_changed", "queue_channel", "quiz_answered", "quiz_changed", "run_every", "schedule_changed", "signups_changed",
    "stream_counter", "tally_changed", "workshop_room",
]
