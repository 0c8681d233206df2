"""Stateful fuzzing of the whole conversation (issue: hardening, item 15).

Random sequences of what admins, staff, removed staff and strangers do — commands, free text, amounts, dates,
junk and over-long text, presses of the latest and of older buttons, forged callback data, private and group
chats, time passing, restarts over the same database — against the real application. After every step: no
traceback or English error reaches a chat and nothing is logged at ERROR; an outsider gets nothing but the
refusal; the admin's private items stay in the admin's chat; the budget shown equals the opening balances plus
the counted entries; a typed message never stores what no one confirmed; every message fits Telegram's limits.

Bounded here (CI); bench/soak.py runs many more sequences.
"""

from __future__ import annotations

import asyncio
import os

from fuzzworld import ACTORS, ADMIN, STAFF, STRANGER, TEXTS, World, forged_data
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
STEPS = int(os.environ.get("FUZZ_STEPS", "25"))
# Shrinking a failure of this machine can take minutes: CI reports the sequence as found; FUZZ_SHRINK=1 shrinks.
PHASES = list(Phase) if os.environ.get("FUZZ_SHRINK") else [Phase.explicit, Phase.reuse, Phase.generate]

actors = st.sampled_from(ACTORS)
members = st.sampled_from((ADMIN, STAFF))
hangul = st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3)
typed = st.one_of(
    st.sampled_from(TEXTS),
    st.tuples(st.sampled_from(TEXTS), st.sampled_from(TEXTS)).map(" ".join),
    st.text(st.one_of(hangul, st.sampled_from("0123456789 .,/~-:!?원만억시분월일")), min_size=1, max_size=60),
).filter(lambda text: text.strip() != "")


class Conversation(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.world = World.fresh()
        self.loop.run_until_complete(self.world.start())
        self.restarts = 0

    def run(self, step: object) -> None:
        self.loop.run_until_complete(step)  # type: ignore[arg-type]

    @initialize()
    def nothing_logged_at_start(self) -> None:
        self.world.check_no_errors()

    @rule(actor=actors, text=typed)
    def say(self, actor: int, text: str) -> None:
        self.run(self.world.say(actor, text))

    @rule(actor=st.sampled_from((ADMIN, STAFF, STRANGER)), text=typed)
    def say_in_group(self, actor: int, text: str) -> None:
        self.run(self.world.say(actor, text, in_group=True))

    @rule(actor=members, pick=st.integers(0, 30))
    def press_own(self, actor: int, pick: int) -> None:
        self.run(self.world.press(actor, pick, own_only=True))

    @rule(actor=actors, pick=st.integers(0, 30))
    def press_anyones(self, actor: int, pick: int) -> None:
        self.run(self.world.press(actor, pick, own_only=False))

    @rule(actor=actors, data=st.sampled_from(list(forged_data())))
    def forge(self, actor: int, data: str) -> None:
        self.run(self.world.forge(actor, data))

    @rule(minutes=st.sampled_from((1, 10, 31, 60, 600, 1440)))
    def time_passes(self, minutes: int) -> None:
        self.run(self.world.time_passes(minutes))

    @precondition(lambda self: self.restarts < 2)
    @rule()
    def restart(self) -> None:
        self.restarts += 1
        self.run(self.world.restart())

    def teardown(self) -> None:
        try:
            self.run(self.world.final_check())
        finally:
            self.run(self.world.stop())
            self.loop.close()
            self.world.close()


Conversation.TestCase.settings = settings(
    max_examples=EXAMPLES, stateful_step_count=STEPS, deadline=None, derandomize=True, phases=PHASES,
    suppress_health_check=list(HealthCheck),
)
TestConversation = Conversation.TestCase
