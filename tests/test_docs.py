"""Docs are tested: every CLI command and option, and every setting, appears in the README."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import typer.main

from curbside.cli.main import app
from curbside.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    # Typer ships its own click; walk any command that has sub-commands.
    if isinstance(getattr(command, "commands", None), dict):
        for name, sub in command.commands.items():
            found += walk(sub, (*path, name))
    return found


def test_every_command_and_option_is_in_the_readme() -> None:
    missing = []
    for path, command in walk(typer.main.get_command(app)):
        if path and f"curbside {' '.join(path)}" not in README:
            missing.append(" ".join(path))
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option != "--help" and option not in README:
                    missing.append(f"{' '.join(path)} {option}")
    assert not missing, f"undocumented in README.md: {missing}"


def test_every_setting_has_a_documented_environment_variable() -> None:
    names = [f.name.upper() for f in dataclasses.fields(Settings) if f.name != "gate"]
    missing = [n for n in names if f"CURBSIDE_{n}" not in README]
    assert not missing, f"settings without a documented CURBSIDE_* variable: {missing}"


def test_readme_quick_start_is_the_two_make_commands_ci_runs() -> None:
    quick = README.split("## Quick start", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(make \w+)", quick, re.M)
    assert commands == ["make run", "make test"]
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert "make test" in ci
