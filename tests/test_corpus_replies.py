"""The corpus replayed through the real application (offline), graded by what the bot sends back
(tests/corpus_replay.py): the lookups answer with the report's figure, the creations are echoed with what was typed,
and nothing in the must-not-create set proposes to create anything."""

from __future__ import annotations

from corpus_replay import load, replay, table

from bot.config import Config

# Measured on the committed corpus (bench/conversation.py prints the table): 97.5% of the messages and 90.6% of
# the questions answered right (the rest asked back or answered in part); a regression below these fails.
MESSAGES_RIGHT = 0.965
QUESTIONS_RIGHT = 0.89


async def test_corpus_is_handled_right_through_the_application(config: Config) -> None:
    graded = await replay(load("messages.jsonl"), config)
    rate = sum(item.right for item in graded) / len(graded)
    assert len(graded) >= 600
    assert rate >= MESSAGES_RIGHT, table(graded)


async def test_no_question_proposes_to_create_anything(config: Config) -> None:
    graded = await replay(load("no_create.jsonl"), config)
    assert len(graded) >= 100
    proposed = [item for item in graded if item.why == "proposed to create"]
    assert not proposed, table(proposed)
    assert sum(item.right for item in graded) / len(graded) >= QUESTIONS_RIGHT, table(graded)
