"""What a command is called, what it does and an example: the source of /help and setMyCommands."""

from __future__ import annotations

from dataclasses import dataclass

HELP_WORDS = r"^\s*(도움말|도움|help|뭐\s*할\s*수\s*있어\??)\s*$"


@dataclass(frozen=True)
class CommandHelp:
    name: str
    description: str
    example: str
    admin_only: bool = False

    def help_line(self) -> str:
        tag = " (관리자)" if self.admin_only else ""
        return f"/{self.name}{tag} — {self.description}\n   예: {self.example}"
