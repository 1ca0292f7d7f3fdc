"""Benchmarks measure planner as installed: with its bytecode compiled.

An installed package has its .pyc files; a checkout run with PYTHONDONTWRITEBYTECODE
set (as some environments do) would otherwise compile every module on every run
and time the compiler instead of planner.
"""

from __future__ import annotations

import compileall
from pathlib import Path

PLANNER = Path(__file__).resolve().parent.parent / "planner"


def compile_planner() -> None:
    compileall.compile_dir(str(PLANNER), quiet=1)
