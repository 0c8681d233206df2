"""What a command is called, what it does and an example: the source of /help and setMyCommands."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CommandHelp:
    name: str
    description: str
    example: str
    admin_only: bool = False

    def help_line(self) -> str:
        tag = " (관리자)" if self.admin_only else ""
        return f"/{self.name}{tag} — {self.description}\n   예: {self.example}"
