"""Your settings, once: a TOML file that every command reads.

The file is the first found of: ``$INVPOLICY_CONFIG``; ``invpolicy.toml`` in the
current folder; ``config.toml`` in the user's config folder (as
:mod:`platformdirs` names it: ``~/.config/invpolicy/`` on Linux). It may hold::

    [me]
    name = "Sam Leroy"            # the export's owner, and the replies' signature
    policy = "ask-first"          # decide's --policy by default
    policies = ["ask-first", "strong-ties-only"]   # compare's by default

    [reply]                       # reply parameters, for every policy that does
    signature = "Sam"             # not set them itself
    channel = "Mastodon (@sam@example.social)"

Every setting is found in the same order: a command-line option, then an
environment variable (``INVPOLICY_NAME``, ``INVPOLICY_POLICY``,
``INVPOLICY_POLICIES`` with names between commas, ``INVPOLICY_REPLY_<PARAM>``),
then the file, then the default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from invpolicy.errors import InvpolicyError, Problem, did_you_mean
from invpolicy.io.files import read_text

#: The environment variable that names the settings file.
CONFIG_ENV = "INVPOLICY_CONFIG"
LOCAL_NAME = "invpolicy.toml"
_TABLES = {"me": ("name", "policy", "policies"), "reply": ()}
_ENV = {"name": "INVPOLICY_NAME", "policy": "INVPOLICY_POLICY", "policies": "INVPOLICY_POLICIES"}
_REPLY_ENV = "INVPOLICY_REPLY_"
_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass
class Settings:
    """What the settings say, and where each value came from."""

    #: The file read, or None when there is none.
    path: Path | None = None
    #: Where the file was looked for, in order.
    looked: tuple[Path, ...] = ()
    name: str | None = None
    policy: str | None = None
    policies: tuple[str, ...] = ()
    #: Default reply parameters, for every policy that does not set them itself.
    reply: dict[str, Any] = field(default_factory=dict)
    #: Each setting's source: ``"the file"`` or the environment variable's name.
    sources: dict[str, str] = field(default_factory=dict)

    def reply_defaults(self) -> dict[str, Any]:
        """The reply parameters to give every policy: ``[reply]``, signed with your name."""
        defaults = dict(self.reply)
        if self.name and "signature" not in defaults:
            defaults["signature"] = self.name
        return defaults

    def lines(self) -> list[str]:
        """What ``invpolicy config`` shows."""
        if self.path is None:
            where = ", ".join(str(p) for p in self.looked)
            lines = [f"No settings file (looked for: {where})"]
        else:
            lines = [f"Settings read from {self.path}"]
        shown = [
            ("me.name", self.name),
            ("me.policy", self.policy),
            ("me.policies", ", ".join(self.policies) if self.policies else None),
            *((f"reply.{key}", value) for key, value in self.reply.items()),
        ]
        for key, value in shown:
            if value is not None:
                lines.append(f"  {key} = {value!r}  ({self.sources.get(key, 'the file')})")
        if len(lines) == 1:
            lines.append("  nothing is set")
        return lines


def candidates(env: Mapping[str, str] | None = None) -> list[Path]:
    """Where the settings file is looked for, in order."""
    given = (os.environ if env is None else env).get(CONFIG_ENV)
    if given:
        return [Path(given)]
    from platformdirs import user_config_dir

    return [Path(LOCAL_NAME), Path(user_config_dir("invpolicy")) / "config.toml"]


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """The settings: the file found (if any), with the environment over it.

    A file named by ``INVPOLICY_CONFIG`` must exist; a broken file is one
    ``path:line:col`` problem.
    """
    env = os.environ if env is None else env
    looked = candidates(env)
    settings = Settings(looked=tuple(looked))
    for path in looked:
        if path.is_file() or env.get(CONFIG_ENV):
            settings.path = path
            _read_file(path, settings)
            break
    _read_env(env, settings)
    return settings


def _read_file(path: Path, settings: Settings) -> None:
    import tomllib

    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = _AT.sub("", str(exc)).strip()
        at = _AT.search(str(exc))
        line, col = (int(at[1]), int(at[2])) if at else (1, 1)
        raise InvpolicyError(Problem(str(path), line, col, f"invalid TOML: {message}")) from None
    problems: list[Problem] = []
    for table, value in data.items():
        if table not in _TABLES:
            hint = did_you_mean(table, _TABLES)
            problems.append(_problem(path, text, table, f"[{table}]: no such table{hint}"))
        elif not isinstance(value, dict):
            problems.append(_problem(path, text, table, f"{table}: expected a [{table}] table"))
    me = data.get("me")
    for key, value in (me if isinstance(me, dict) else {}).items():
        if key not in _TABLES["me"]:
            hint = did_you_mean(key, _TABLES["me"])
            problems.append(_problem(path, text, key, f"me.{key}: no such setting{hint}"))
        elif key == "policies":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                message = "me.policies: expected a list of policy names"
                problems.append(_problem(path, text, key, message))
            else:
                settings.policies = tuple(value)
        elif not isinstance(value, str) or not value.strip():
            problems.append(_problem(path, text, key, f"me.{key}: expected text"))
        else:
            setattr(settings, key, value.strip())
    reply = data.get("reply")
    settings.reply.update(reply if isinstance(reply, dict) else {})
    if problems:
        raise InvpolicyError(sorted(problems))


def _read_env(env: Mapping[str, str], settings: Settings) -> None:
    for key, variable in _ENV.items():
        value = env.get(variable, "").strip()
        if not value:
            continue
        settings.sources[f"me.{key}"] = variable
        if key == "policies":
            settings.policies = tuple(p.strip() for p in value.split(",") if p.strip())
        else:
            setattr(settings, key, value)
    for variable, value in env.items():
        if variable.startswith(_REPLY_ENV) and value.strip():
            key = variable.removeprefix(_REPLY_ENV).lower()
            settings.reply[key] = value.strip()
            settings.sources[f"reply.{key}"] = variable


def _problem(path: Path, text: str, key: str, message: str) -> Problem:
    """A problem at the line where ``key`` is written (TOML keeps no positions)."""
    pattern = re.compile(rf"^\s*(\[\s*{re.escape(key)}\s*\]|{re.escape(key)}\s*=)", re.MULTILINE)
    found = pattern.search(text)
    if found is None:
        return Problem(str(path), 1, 1, message)
    line = text.count("\n", 0, found.start()) + 1
    col = found.start(1) - (text.rfind("\n", 0, found.start(1)) + 1) + 1
    return Problem(str(path), line, col, message)
