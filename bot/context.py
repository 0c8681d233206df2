"""The per-update context handed to handlers, and the application type."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.runtime import Member, Runtime


class BotContext(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """CallbackContext with the member the gate let through (one context object per update)."""

    member: Member | None = None
    asked: bool = False  # this update asked for a reply (a form or an echo started: handlers.conversation)

    @property
    def runtime(self) -> Runtime:
        runtime = self.application.bot_data["runtime"]
        assert isinstance(runtime, Runtime)
        return runtime

    @property
    def me(self) -> Member:
        if self.member is None:  # only reachable if a handler runs without the gate: fail closed
            raise PermissionError("update reached a handler without passing the access gate")
        return self.member


BotApplication = Application[ExtBot[Any], BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
