#!/usr/bin/env python3
"""Deterministic generator of realistic Markdown backlog folders, for benchmarking planner.

    python bench/generate.py OUT_DIR --files N [--seed S] [--size-kb 12]

Writes N Markdown files (about SIZE_KB each on average) into nested team/sprint folders,
modelled on the seed documents: sprint backlogs, daily backlogs with heading tasks,
P0-P3 roadmaps, next-steps files with Option A/B/C proposals, meeting notes, and a few
non-planning files (CHANGELOG, README) with no tasks. It also plants what discovery and
parsing must cope with: CRLF, BOM, no final newline, tab indentation, mojibake, front
matter, code fences / HTML comments / HTML blocks / indented code holding decoy
`- [ ]` lines, and extra files inside `.git`, `node_modules` and `.venv` folders.

Only `random.Random(seed)` drives the content, so the same arguments always give
byte-identical trees. The exact counts (per file and in total) are written to
OUT_DIR/.planner-bench.json so that benchmarks and tests can check what a parser finds.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from pathlib import Path
from random import Random

# Bump when the output changes, so bench/run.py regenerates cached trees.
GENERATOR_VERSION = 2
MANIFEST_NAME = ".planner-bench.json"
SKIPPED_DIRS = (".git", "node_modules", ".venv")

# What a naive line scanner would call a checkbox task; decoys are counted with it too,
# so "scan hits == tasks + decoys" holds exactly (bench/run.py's line-scan floor uses it).
SCAN_RX = re.compile(r"^[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[ xX]\][ \t]")

# --------------------------------------------------------------------------- word pools
# Titles never contain heading-task markers (done/complete/verified, status emoji), so
# the only heading tasks are the ones counted on purpose.
VERBS = [
    "Add", "Update", "Refactor", "Remove", "Migrate", "Document", "Review", "Fix",
    "Implement", "Create", "Design", "Benchmark", "Profile", "Audit", "Wire up", "Extract",
    "Split", "Rename", "Validate", "Harden", "Cache", "Deprecate", "Port", "Test",
    "Measure", "Investigate", "Clean up", "Consolidate", "Simplify", "Configure", "Enable",
    "Schedule", "Draft", "Automate", "Backfill", "Instrument", "Stabilise", "Replace", "Tune",
]
OBJECTS = [
    "session endpoints", "MemoryManager", "KatoProcessor", "connection pool",
    "GraphQL mutations", "routing engine", "path monitor", "Redis cache", "ClickHouse schema",
    "LSH buckets", "filter pipeline", "auth middleware", "rate limiter", "CI pipeline",
    "Docker images", "Helm chart", "migration scripts", "audit log", "metrics exporter",
    "Grafana dashboards", "error handlers", "config loader", "retry policy",
    "websocket handler", "batch jobs", "calibration module", "export converters",
    "search index", "feature flags", "billing service", "notification queue",
    "user settings page", "API docs", "integration tests", "load tests", "release notes",
    "onboarding guide", "SSO login", "backup job", "TLS termination", "cache warming",
    "soft delete flow", "traffic statistics", "failover logic", "probe scheduler",
]
QUALIFIERS = [
    "", "", "", "", "for the v3 API", "behind a feature flag", "in staging",
    "for multi-node deployments", "with retries", "(async path)", "for hybrid mode",
    "per tenant", "in the admin UI", "for the mobile client", "with structured logging",
    "before the freeze", "on the ingest path", "across all services", "for the nightly build",
]
SUFFIXES = [
    "", "", "", "", "", "", " (2h)", " (30m)", " (1 day)", " (4-6 hours)", " - OPTIONAL",
    " - WORKING", " - READY", " `{file}`", " @{owner}", " 🔼", " ⏫", " 🔽", " 🔺",
    " 📅 2025-11-{day:02d}", " → follow-up in #{issue}", " (blocked on #{issue})",
    " — see notes", " (owner: {owner})",
]
NOUNS = [
    "Session Isolation", "Hybrid Storage", "Path Monitoring", "Traffic Export",
    "Distributed Caching", "Async Migration", "Exception Handling", "Connection Pooling",
    "Observability", "Multi-Tenant Billing", "Search Relevance", "Release Automation",
    "Mobile Sync", "Access Control", "Data Retention", "Cost Reduction", "Onboarding Flow",
    "Incident Response", "Schema Evolution", "Edge Routing",
]
CODE_FILES = [
    "kato/workers/memory_manager.py", "src/mutations.rs", "api/routes.py", "batch/qa.py",
    "web/src/App.tsx", "deploy/docker-compose.yml", "config/settings.py",
    "cmd/server/main.go", "services/billing/invoice.py", "lib/cache.ts",
]
OWNERS = ["alice", "bob", "chen", "dana", "eve", "farid", "gosia", "hiro", "José", "Zoë", "TBD"]
EFFORTS = [
    "1 hour", "2-3 hours", "4-6 hours", "8-12 hours", "12-16 hours", "1 day", "1-2 days",
    "2-3 days", "3-4 days", "4-5 days", "~7-10 days", "1 week", "2 weeks", "30m", "3h",
]
STATUS_TEXT = [
    "In progress", "Decision document prepared", "Not started", "Blocked on review",
    "ACTIVE - Critical refactor in progress", "Documented, Not Yet Implemented",
    "Ready for staging", "Waiting on infra", "Planned", "76 instances identified, 3 fixed",
]
SENTENCES = [
    "Multiple sessions with the same node id share one processor instance.",
    "This unblocks the async work and removes a sequential bottleneck.",
    "Numbers below come from the staging cluster, not production.",
    "Rollback is a config flag flip, so the risk stays low.",
    "We agreed to revisit the estimate after the first spike.",
    "Most of the remaining work is polish, not core functionality.",
    "The old code path stays available as a fallback for one release.",
    "Latency dropped from 480 ms to 37 ms at p95 in the benchmark run.",
    "Owners should update the status line when they pick an item up.",
    "See the decision log for the trade-offs we considered.",
    "Dependencies are tracked in the initiative document.",
    "The team prefers small, reversible steps over a big-bang migration.",
]
CODE_SNIPPETS = [
    ("python", [
        "# Current (too broad)", "try:", "    result = risky_operation()",
        "except Exception as e:", '    logger.error(f"Failed: {e}")', "    return default_value",
        "", "# Better (specific)", "try:", "    result = risky_operation()",
        "except (IOError, OSError, sqlite3.Error) as e:",
        '    logger.error(f"Failed due to I/O or DB error: {e}")', "    return default_value",
    ]),
    ("python", [
        "class SyncConnectionPool:", "    def __init__(self, db_path: str, pool_size: int = 5):",
        "        self._pool = queue.Queue(maxsize=pool_size)", "        self._db_path = db_path",
        "", "    @contextmanager", "    def connection(self):", "        conn = self._pool.get()",
        "        try:", "            yield conn", "        finally:", "            self._pool.put(conn)",
    ]),
    ("rust", [
        "// TODO: Trigger immediate probe via path monitor",
        "pub async fn check_path_health(ctx: &Context<'_>, id: i64) -> Result<PathHealth> {",
        "    let monitor = ctx.data::<Arc<PathMonitor>>()?;", "    monitor.probe_now(id).await",
        "}",
    ]),
    ("yaml", [
        "services:", "  clickhouse:", "    image: clickhouse/clickhouse-server:24.3",
        "    ports:", '      - "8123:8123"', "  redis:", "    image: redis:7",
        "    command: redis-server /usr/local/etc/redis/redis.conf",
    ]),
    ("bash", [
        "docker compose up -d clickhouse redis", "./scripts/verify_migration.py --sample 1000",
        "pytest tests/integration -k hybrid -x", "curl -s localhost:8000/health | jq .",
    ]),
]
PRIORITY_HEADINGS = [
    ("P0", ["🔴 P0: Critical (Do First)", "Critical Items", "P0 - Critical", "Priority 0: Blocking Issues"]),
    ("P1", ["🟠 P1: High Priority (Next 2 Weeks)", "High Priority Items", "P1: High"]),
    ("P2", ["🟡 P2: Medium Priority (This Quarter)", "Medium Priority Items", "P2 - Medium"]),
    ("P3", ["🟢 P3: Low Priority / Nice to Have", "Low Priority Items", "Future Enhancements (P3)"]),
]
# Heading-task markers: open-ish ones for daily tasks, done-ish ones for finished phases.
OPEN_MARKERS = ["⏸️", "⏸️", "🔄", "⏳", "❌", "⚠️"]
DONE_MARKERS = ["✅", "✅ COMPLETE", "(✅ COMPLETE)", "COMPLETE", "DONE", "VERIFIED", "✅ VERIFIED (2025-11-12)"]
BULLETS = ["-", "*", "+", "1.", "1)"]
BULLET_WEIGHTS = [62, 12, 8, 12, 6]
OTHER_STATES = ["-", "/", ">", "~"]


def _sloppy_cp1252_table() -> list[str]:
    """Byte -> char as a cp1252 reader that keeps undefined bytes would show them."""
    table = []
    for b in range(256):
        try:
            table.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            table.append(chr(b))
    return table


_CP1252 = _sloppy_cp1252_table()


def mangle(text: str, encoding: str) -> str:
    """Mojibake: UTF-8 bytes read back as cp1252 or Mac Roman (ASCII stays as it is)."""
    data = text.encode("utf-8")
    if encoding == "mac_roman":
        return data.decode("mac_roman")
    return "".join(_CP1252[b] for b in data)


class Doc:
    """Accumulates lines of one document and counts exactly what it writes."""

    def __init__(self, rng: Random, *, tabs: bool, colon_inside: bool):
        self.rng = rng
        self.tabs = tabs
        self.colon_inside = colon_inside  # `**Status:** x` vs `**Status**: x`
        self.lines: list[str] = []
        self.size = 0
        self.open = self.done = self.other = self.headings = self.decoys = 0

    # ---------------------------------------------------------------- primitives
    def add(self, line: str = "") -> None:
        self.lines.append(line)
        self.size += len(line) + 1

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.add("")

    def decoy(self, line: str) -> None:
        """A line inside code/comments/front matter: never a task."""
        if SCAN_RX.match(line):
            self.decoys += 1
        self.add(line)

    def heading(self, level: int, text: str) -> None:
        self.blank()
        self.add("#" * level + " " + text)

    def heading_task(self, level: int, text: str, done: bool) -> None:
        marker = self.rng.choice(DONE_MARKERS if done else OPEN_MARKERS)
        self.headings += 1
        self.heading(level, f"{text} {marker}")

    def meta(self, key: str, value: str = "", *, item: bool = False, hard_break: bool = False) -> None:
        field = f"**{key}:**" if self.colon_inside else f"**{key}**:"
        line = f"{'- ' if item else ''}{field}" + (f" {value}" if value else "")
        self.add(line + ("  " if hard_break else ""))

    # ---------------------------------------------------------------- text
    def title(self) -> str:
        rng = self.rng
        return f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"

    def task_text(self) -> str:
        rng = self.rng
        text = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        qual = rng.choice(QUALIFIERS)
        if qual:
            text += " " + qual
        suffix = rng.choice(SUFFIXES)
        if suffix:
            text += suffix.format(file=rng.choice(CODE_FILES), owner=rng.choice(OWNERS),
                                  day=rng.randint(1, 28), issue=rng.randint(10, 999))
        return text

    def prose(self, sentences: int = 2) -> None:
        self.blank()
        self.add(" ".join(self.rng.choice(SENTENCES) for _ in range(sentences)))

    def date(self) -> str:
        return f"2025-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}"

    # ---------------------------------------------------------------- lists
    def task_list(self, n: int, done_p: float, *, quote: bool = False, tight: bool = False,
                  plain_p: float = 0.12, depth: int = 3, bullet: str | None = None) -> None:
        """A (possibly nested) list of checkbox items; `tight` = directly under a label line.

        Only a `-`/`*`/`+` list or one starting at 1 may interrupt a paragraph, which is
        all this writes, so every counted item really is a list item.
        """
        if not tight:
            self.blank()
        rng = self.rng
        style = bullet or rng.choices(BULLETS, BULLET_WEIGHTS)[0]
        prefix = "> " if quote else ""
        self._items(prefix, "", 0, n, style, done_p, plain_p, depth, tabs=self.tabs and not quote)

    def _items(self, prefix: str, indent: str, level: int, n: int, style: str, done_p: float,
               plain_p: float, depth: int, *, tabs: bool) -> None:
        rng = self.rng
        for k in range(n):
            marker = style if style in "-*+" else f"{k + 1}{style[-1]}"
            head = f"{prefix}{indent}{marker} "
            roll = rng.random()
            if roll < plain_p:
                # A plain (non-task) item mixed into the list, as the seeds do.
                kind = rng.random()
                if kind < 0.4:
                    field = "**Effort**:" if not self.colon_inside else "**Effort:**"
                    self.add(f"{head}{field} {rng.choice(EFFORTS)}")
                elif kind < 0.7:
                    self.add(f"{head}✅ {self.title()}")
                else:
                    self.add(f"{head}{self.task_text()}")
            else:
                if roll < plain_p + 0.015:
                    state = rng.choice(OTHER_STATES)
                    self.other += 1
                elif rng.random() < done_p:
                    state = "X" if rng.random() < 0.06 else "x"
                    self.done += 1
                else:
                    state = " "
                    self.open += 1
                self.add(f"{head}[{state}] {self.task_text()}")
                if rng.random() < 0.04:
                    # Paragraph continuation line: same task, not a new one.
                    self.add(f"{prefix}{indent}{' ' * len(marker)} {rng.choice(SENTENCES)}")
            if level + 1 < depth and rng.random() < 0.12:
                child_style = style if rng.random() < 0.6 else rng.choices(BULLETS, BULLET_WEIGHTS)[0]
                # Children start at the parent's content column (tabs reach it too).
                child_indent = "\t" * (level + 1) if tabs else indent + " " * (len(marker) + 1)
                self._items(prefix, child_indent, level + 1, rng.randint(1, 3), child_style,
                            done_p, plain_p, depth, tabs=tabs)

    def plain_list(self, items: list[str], *, ordered: bool = False, tight: bool = True) -> None:
        if not tight:
            self.blank()
        for k, text in enumerate(items):
            self.add(f"{k + 1}. {text}" if ordered else f"- {text}")

    # ---------------------------------------------------------------- decoys
    def decoy_block(self) -> None:
        rng = self.rng
        kind = rng.randrange(7)
        self.blank()
        if kind == 0:
            lang = rng.choice(["", "markdown", "md", "text"])
            self.add(f"```{lang}")
            self._decoy_lines("inside a code fence")
            self.add("```")
        elif kind == 1:
            self.add("~~~" + rng.choice(["", "md"]))
            self._decoy_lines("inside a tilde fence")
            self.add("~~~")
        elif kind == 2:
            # A longer fence holding a shorter one: the inner ``` does not close it.
            self.add("````markdown")
            self.add("```")
            self._decoy_lines("inside a nested fence")
            self.add("```")
            self.add("````")
        elif kind == 3:
            self.add("<!-- archived items, kept for reference:")
            self._decoy_lines("inside an HTML comment")
            self.add("")
            self._decoy_lines("still inside the comment")
            self.add("-->")
        elif kind == 4:
            # An HTML block runs until the next blank line, so none may appear inside.
            self.add('<div class="archived">')
            self._decoy_lines("inside an HTML block")
            self.add("</div>")
        elif kind == 5:
            # Indented code cannot interrupt a paragraph, and after a list it would be a
            # continuation: a paragraph + blank line in front makes it code for sure.
            self.add("Old format, for reference:")
            self.add("")
            pad = "\t" if self.tabs else "    "
            for _ in range(rng.randint(2, 4)):
                self.decoy(f"{pad}- [{rng.choice(' x')}] {self.title()} (indented code, not a task)")
        else:
            self.add("```python")
            self.add(f"# - [ ] {self.title()}  (a comment in code)")
            self.add("checklist = [")
            for _ in range(rng.randint(1, 3)):
                self.decoy(f"    - [ ] {self.title()}")
            self.add("]")
            self.add("```")
        self.add("")

    def _decoy_lines(self, where: str) -> None:
        rng = self.rng
        for _ in range(rng.randint(2, 4)):
            bullet = rng.choice(["-", "*", "1.", "+"])
            indent = rng.choice(["", "", "  "])
            self.decoy(f"{indent}{bullet} [{rng.choice(' xX')}] {self.title()} ({where}, not a task)")

    def table(self) -> None:
        self.blank()
        self.add("| Item | Owner | Effort | State |")
        self.add("|------|-------|--------|-------|")
        for _ in range(self.rng.randint(2, 5)):
            self.add(f"| [ ] {self.title()} | {self.rng.choice(OWNERS)} | "
                     f"{self.rng.choice(EFFORTS)} | {self.rng.choice(STATUS_TEXT)} |")
        self.add("")

    def rule(self) -> None:
        self.blank()
        self.add("---")
        self.add("")

    def code_snippet(self) -> None:
        """An ordinary code block, as the seeds have (no decoys: real code)."""
        lang, lines = self.rng.choice(CODE_SNIPPETS)
        self.blank()
        self.add(f"```{lang}")
        for line in lines:
            self.add(line)
        self.add("```")
        self.add("")

    def filler(self, blocks: int) -> None:
        """Non-task content between task lists: prose, code, key/value bullets, tables."""
        rng = self.rng
        for _ in range(blocks):
            r = rng.random()
            if r < 0.40:
                self.prose(rng.randint(2, 5))
            elif r < 0.60:
                self.code_snippet()
            elif r < 0.85:
                self.blank()
                self.meta(rng.choice(["Breakdown", "Current State", "Notes", "Expected Benefits"]))
                self.plain_list([f"`{rng.choice(CODE_FILES)}`: {rng.randint(1, 40)} instances - "
                                 f"{rng.choice(STATUS_TEXT)}" if rng.random() < 0.5 else rng.choice(SENTENCES)
                                 for _ in range(rng.randint(3, 7))])
            else:
                self.blank()
                for key in rng.sample(["Dependencies", "Risk", "Value", "Owner", "Timeline", "Blocker"], 3):
                    self.meta(key, rng.choice(SENTENCES)[:-1], hard_break=True)

    def maybe_extra(self) -> None:
        """Sprinkle decoys, tables, blockquoted tasks between sections."""
        r = self.rng.random()
        if r < 0.20:
            self.decoy_block()
        elif r < 0.28:
            self.table()
        elif r < 0.38:
            self.blank()
            self.add(f"> **Note**: {self.rng.choice(SENTENCES)}")
            self.add(">")
            self.task_list(self.rng.randint(1, 4), 0.3, quote=True, tight=True)
            self.add("")


# ------------------------------------------------------------------------ document kinds
def sprint_backlog(d: Doc, target: int) -> None:
    rng = d.rng
    d.add(rng.choice(["# SPRINT_BACKLOG.md - Upcoming Work", "# Sprint Backlog", "# BACKLOG"]))
    d.add(f"*Last Updated: {d.date()}*")
    d.heading(2, "Active Projects")
    phase = 0
    while d.size < target:
        d.heading(3, f"{rng.choice(NOUNS)} ({d.title()})")
        d.meta("Priority", rng.choice(["High", "High - Major Performance Initiative", "Medium",
                                       "Low", "Critical", "P1", "Future Enhancement"]))
        d.meta("Status", rng.choice(STATUS_TEXT))
        d.meta("Timeline", rng.choice(EFFORTS))
        if rng.random() < 0.5:
            d.meta("Objective", rng.choice(SENTENCES))
        d.filler(rng.randint(1, 3))
        for _ in range(rng.randint(2, 3)):
            phase += 1
            name = f"Phase {phase}: {rng.choice(NOUNS)}"
            finished = rng.random() < 0.4
            if rng.random() < 0.6:
                d.heading_task(4, name, finished)
            else:
                d.heading(4, f"{name} ({rng.choice(['OPTIONAL', 'READY when needed', 'OPTIONAL - Basic framework functional', 'PLANNED'])})")
            d.task_list(rng.randint(2, 4), 0.95 if finished else 0.35, tight=True, bullet="-")
            d.meta("Status", rng.choice(STATUS_TEXT), item=True)
            d.meta("Effort", rng.choice(EFFORTS), item=True)
            if rng.random() < 0.5:
                d.meta("Dependencies", f"Phase {max(1, phase - 1)} finished ✅", item=True)
            d.filler(rng.randint(1, 3))
        d.blank()
        d.meta("Total Effort Estimate", rng.choice(EFFORTS))
        d.maybe_extra()
        d.rule()
        if rng.random() < 0.25:
            d.heading(2, "Backlog (Future Work)")
            d.heading(3, rng.choice(NOUNS))
            d.plain_list([d.title() for _ in range(rng.randint(2, 5))])


def daily_backlog(d: Doc, target: int) -> None:
    rng = d.rng
    d.add("# DAILY_BACKLOG.md - Today's Priorities")
    d.add(f"*Last Updated: {d.date()}*")
    d.heading(2, f"Today's Focus: {rng.choice(NOUNS)} - Phase 1 (CRITICAL) 🚨")
    d.heading(3, f"Priority 0: {rng.choice(NOUNS)} Bug Fix")
    d.meta("Status", "ACTIVE - Critical architectural refactor in progress")
    d.blank()
    d.meta("Issue", rng.choice(SENTENCES))
    d.plain_list([rng.choice(SENTENCES) for _ in range(3)])
    d.rule()
    d.heading(2, "Today's Tasks (Phase 1.1 - 1.5)")
    n = 0
    while d.size < target:
        n += 1
        d.heading_task(3, f"Task 1.{n}: {d.title()} ({rng.choice(EFFORTS)})", rng.random() < 0.25)
        d.meta("Priority", rng.choice(["P0 - Blocking all other work", "P1 - Core change",
                                       "P2 - Nice to have", "High", "Medium"]))
        d.meta("File", f"`{rng.choice(CODE_FILES)}`")
        d.blank()
        d.meta("Work")
        d.plain_list([d.title() for _ in range(rng.randint(3, 6))], ordered=True)
        d.blank()
        d.meta("Success Criteria")
        if rng.random() < 0.6:
            d.task_list(rng.randint(2, 4), 0.3, tight=True, depth=2)
        else:
            d.plain_list([f"✅ {d.title()}" for _ in range(rng.randint(2, 4))])
        d.filler(rng.randint(1, 3))
        d.maybe_extra()
        d.blank()
        d.meta("Risk", rng.choice(["Low - Simple transformation", "Medium - Many dependencies", "High"]))
        d.rule()


def roadmap(d: Doc, target: int) -> None:
    rng = d.rng
    d.add("# Remaining Work Prioritization & Roadmap")
    d.add("")
    d.meta("Last Updated", d.date(), hard_break=True)
    d.meta("Status", "Post-Phase 1A Planning", hard_break=True)
    d.meta("Context", rng.choice(SENTENCES))
    d.heading_task(2, "Completed: Phase 1A", True)
    d.task_list(rng.randint(3, 6), 1.0)
    d.rule()
    d.heading(2, "Priority Queue")
    item = 0
    style = rng.randrange(3)  # a file keeps one naming style for its queues, mostly
    while d.size < target:
        for _prio, names in PRIORITY_HEADINGS:
            if d.size >= target:
                break
            d.heading(3, names[style] if rng.random() < 0.85 else rng.choice(names))
            for _ in range(rng.randint(1, 2)):
                item += 1
                d.heading(4, f"{item}. {d.title()}")
                d.blank()
                d.meta("Status", rng.choice(STATUS_TEXT), hard_break=True)
                d.meta("Timeline", rng.choice(EFFORTS), hard_break=True)
                d.meta("Owner", rng.choice(OWNERS), hard_break=True)
                d.meta("Blocker", rng.choice(["No", "Yes - blocks other work"]))
                d.blank()
                d.meta("Action Items")
                d.task_list(rng.randint(2, 4), 0.2)
                d.filler(rng.randint(2, 3))
                d.maybe_extra()
                d.blank()
                d.meta("Dependencies", "None", hard_break=True)
                d.meta("Value", rng.choice(["High", "Medium", "Low"]) + " (" + rng.choice(SENTENCES)[:-1] + ")")
                d.rule()


def next_steps(d: Doc, target: int) -> None:
    rng = d.rng
    sprint = rng.randint(5, 60)
    d.add(f"# Next Steps: Sprint {sprint} Planning")
    d.heading(2, f"Sprint {sprint - 1} Recap")
    d.add(f"Sprint {sprint - 1} successfully delivered:")
    d.plain_list([f"✅ {d.title()}" for _ in range(rng.randint(3, 5))])
    d.blank()
    d.add("**Status: Production Ready**")
    d.rule()
    d.heading(2, f"Sprint {sprint} Proposed Features")
    features: list[tuple[str, str]] = []
    while d.size < target * 0.75:
        for _prio, names in PRIORITY_HEADINGS[1:]:
            d.heading(3, names[1] if rng.random() < 0.7 else names[0])
            for _ in range(rng.randint(1, 3)):
                title, effort = d.title(), rng.choice(EFFORTS[5:11])
                features.append((title, effort))
                d.heading(4, f"{len(features)}. {title}")
                d.meta("Location", f"`{rng.choice(CODE_FILES)}:{rng.randint(10, 2000)}`")
                d.blank()
                d.meta("Goal", rng.choice(SENTENCES))
                d.blank()
                d.meta("Implementation Plan")
                if rng.random() < 0.6:
                    d.task_list(rng.randint(2, 5), 0.1, tight=True, depth=2)
                else:
                    d.plain_list([d.title() for _ in range(rng.randint(3, 5))])
                d.filler(rng.randint(1, 3))
                d.maybe_extra()
                d.blank()
                d.meta("Estimated Effort", effort)
                d.blank()
                d.meta("Value", rng.choice(SENTENCES))
                d.rule()
    d.heading(2, f"Sprint {sprint} Options")
    labels = "ABC" if rng.random() < 0.7 else "ABCD"
    for label in labels:
        d.heading(3, f"Option {label}: {rng.choice(NOUNS)} Focus")
        d.meta("Theme", rng.choice(SENTENCES))
        d.blank()
        d.meta("Features")
        picks = rng.sample(features, min(len(features), rng.randint(2, 4)))
        d.plain_list([f"{t} ({e})" for t, e in picks], ordered=True)
        d.blank()
        d.meta("Total", f"~{rng.randint(4, 9)}-{rng.randint(10, 14)} days")
        d.meta("Value", rng.choice(SENTENCES))
        d.rule()
    choice = rng.choice(labels)
    d.heading(2, f"Recommendation: Option {choice}")
    d.meta("Rationale", rng.choice(SENTENCES))
    d.heading(2, "Decision Point")
    d.add("")
    for label in labels:
        d.add(f"- [ ] Option {label}")
        d.open += 1
    while d.size < target:
        d.heading(2, f"Open Questions ({rng.choice(NOUNS)})")
        d.task_list(rng.randint(2, 5), 0.2)
        d.filler(rng.randint(1, 2))
        d.maybe_extra()


def meeting_notes(d: Doc, target: int) -> None:
    rng = d.rng
    d.add(f"# {rng.choice(NOUNS)} — Meeting Notes {d.date()}")
    d.heading(2, "Attendees")
    d.add(", ".join(rng.sample(OWNERS[:-1], 4)))
    while d.size < target:
        d.heading(2, rng.choice(["Action Items", "Follow-ups", "Decisions", "Parking Lot", "Risks"]))
        d.prose(rng.randint(1, 3))
        d.task_list(rng.randint(2, 4), 0.3, plain_p=0.18)
        if rng.random() < 0.2:
            d.heading(3, f"{rng.choice(NOUNS)} sub-team")
            d.task_list(rng.randint(2, 4), 0.5, bullet=rng.choice(BULLETS))
        d.filler(rng.randint(2, 3))
        d.maybe_extra()


def non_planning(d: Doc, target: int, name: str) -> None:
    """CHANGELOG / README / architecture notes: headings and prose, no tasks at all."""
    rng = d.rng
    d.add(f"# {name}")
    version = rng.randint(1, 9)
    while d.size < target:
        if name == "Changelog":
            d.heading(2, f"[{version}.{rng.randint(0, 20)}.{rng.randint(0, 9)}] - {d.date()}")
            d.heading(3, rng.choice(["Added", "Changed", "Fixed", "Removed"]))
            d.plain_list([d.title() for _ in range(rng.randint(2, 6))], tight=False)
        else:
            d.heading(2, rng.choice(NOUNS))
            d.prose(rng.randint(2, 4))
            if rng.random() < 0.3:
                d.decoy_block()


KINDS = ["sprint", "daily", "roadmap", "next_steps", "notes", "non_planning"]
KIND_WEIGHTS = [30, 25, 14, 13, 14, 4]
NON_PLANNING_NAMES = [("CHANGELOG.md", "Changelog"), ("README.md", "Service README"),
                      ("docs/ARCHITECTURE.md", "Architecture"), ("CONTRIBUTING.md", "Contributing")]
SERVICES = ["api", "web", "ingest", "billing", "search", "auth", "mobile", "infra"]
PACKAGES = ["left-pad", "markdown-it", "react-dom", "lodash", "@babel/core", "eslint-plugin-x"]


def _path_for(rng: Random, kind: str, teams: int) -> str:
    team = f"team-{rng.randrange(teams):02d}"
    sprint = f"sprint-{rng.randint(1, 40):02d}"
    svc = rng.choice(SERVICES)
    if kind == "sprint":
        return f"{team}/{sprint}/{rng.choice(['SPRINT_BACKLOG.md', 'BACKLOG.md'])}"
    if kind == "daily":
        return f"{team}/{sprint}/daily/DAILY_BACKLOG-2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}.md"
    if kind == "roadmap":
        if rng.random() < 0.5:
            return f"{team}/docs/planning/WORK_ROADMAP.md"
        return f"products/{svc}/roadmap/ROADMAP-2025-Q{rng.randint(1, 4)}.md"
    if kind == "next_steps":
        return f"{team}/{sprint}/NEXT_STEPS.md"
    if kind == "notes":
        return f"{team}/services/{svc}/docs/notes/meeting-2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}.md"
    return f"{team}/services/{svc}/{rng.choice(NON_PLANNING_NAMES)[0]}"


def _pick(rng: Random, n: int, fraction: float) -> set[int]:
    """Indices of the files that get a variant; at least one whenever n allows."""
    if n == 0:
        return set()
    return set(rng.sample(range(n), max(1, round(n * fraction))))


def _kinds(rng: Random, n: int) -> list[str]:
    """Document kinds in KIND_WEIGHTS proportions, each at least once when n allows, shuffled."""
    total = sum(KIND_WEIGHTS)
    counts = [round(n * w / total) for w in KIND_WEIGHTS]
    if n >= len(KINDS):
        counts = [max(1, c) for c in counts]
    while sum(counts) > n:
        counts[counts.index(max(counts))] -= 1
    counts[0] += n - sum(counts)
    kinds = [k for k, c in zip(KINDS, counts) for _ in range(c)]
    rng.shuffle(kinds)
    return kinds


def _render(d: Doc, *, crlf: bool, bom: bool, final_newline: bool, mojibake: str | None) -> bytes:
    text = "\n".join(d.lines)
    text = text.rstrip("\n") + ("\n" if final_newline else "")
    if mojibake:
        text = mangle(text, mojibake)
    if crlf:
        text = text.replace("\n", "\r\n")
    if bom:
        text = "\ufeff" + text
    return text.encode("utf-8")


def build(files: int, seed: int = 1, size_kb: float = 12) -> tuple[dict[str, bytes], dict]:
    """Return ({relative path: bytes}, manifest) without touching the disk."""
    rng = Random(seed)
    teams = max(1, files // 50)
    variants = {
        "crlf": _pick(rng, files, 0.10),
        "bom": _pick(rng, files, 0.05),
        "no_final_newline": _pick(rng, files, 0.05),
        "tabs": _pick(rng, files, 0.05),
        "mojibake": _pick(rng, files, 0.08),
        "front_matter": _pick(rng, files, 0.05),
    }
    kinds = _kinds(rng, files)
    out: dict[str, bytes] = {}
    per_file: dict[str, list[int]] = {}
    for i in range(files):
        kind = kinds[i]
        path = _path_for(rng, kind, teams)
        if path in out:
            stem, _, ext = path.rpartition(".")
            path = f"{stem}-{i}.{ext}"
        d = Doc(rng, tabs=i in variants["tabs"], colon_inside=rng.random() < 0.4)
        if i in variants["front_matter"]:
            d.add("---")
            d.add(f"title: {rng.choice(NOUNS)}")
            d.add("tags: [planning, sprint]")
            d.add("notes: |")
            d.decoy(f"  - [ ] {d.title()} (front matter, not a task)")
            d.add("---")
        # Files vary 0.4x .. 1.6x; 0.9 makes up for the last section overshooting the
        # target, so the mean lands near size_kb.
        target = int(size_kb * 1024 * 0.9 * rng.uniform(0.4, 1.6))
        if kind == "sprint":
            sprint_backlog(d, target)
        elif kind == "daily":
            daily_backlog(d, target)
        elif kind == "roadmap":
            roadmap(d, target)
        elif kind == "next_steps":
            next_steps(d, target)
        elif kind == "notes":
            meeting_notes(d, target)
        else:
            name = path.rsplit("/", 1)[-1]
            title = next((t for p, t in NON_PLANNING_NAMES if p.endswith(name)), "Notes")
            non_planning(d, target // 3, title)
        if i in variants["no_final_newline"] and kind != "non_planning":
            # End on a task, the case where an edit at EOF must not add a newline.
            d.blank()
            d.add("- [ ] " + d.task_text())
            d.open += 1
        mojibake = None
        if i in variants["mojibake"]:
            mojibake = rng.choice(["cp1252", "mac_roman"])
        out[path] = _render(d, crlf=i in variants["crlf"], bom=i in variants["bom"],
                            final_newline=i not in variants["no_final_newline"], mojibake=mojibake)
        per_file[path] = [d.open, d.done, d.other, d.headings, d.decoys]

    # Files that discovery must skip, plus non-Markdown files with checkbox lines.
    skipped: dict[str, int] = {}
    for j in range(max(3, files // 40)):
        team = f"team-{rng.randrange(teams):02d}"
        where = SKIPPED_DIRS[j % len(SKIPPED_DIRS)]
        if where == "node_modules":
            path = f"{team}/web/node_modules/{rng.choice(PACKAGES)}/README-{j}.md"
        elif where == ".git":
            path = f"{team}/.git/notes/BACKLOG-{j}.md"
            out[f"{team}/.git/HEAD"] = b"ref: refs/heads/main\n"
        else:
            path = f"{team}/.venv/lib/python3.11/site-packages/pkg{j}/TODO.md"
        d = Doc(rng, tabs=False, colon_inside=False)
        meeting_notes(d, 2048)
        out[path] = _render(d, crlf=False, bom=False, final_newline=True, mojibake=None)
        skipped[path] = d.open + d.done
    for j in range(max(1, files // 100)):
        out[f"team-{rng.randrange(teams):02d}/scratch/todo-{j}.txt"] = (
            f"- [ ] {VERBS[j % len(VERBS)]} something (a .txt file, not Markdown)\n".encode())

    totals = {
        "files": files,
        "bytes": sum(len(out[p]) for p in per_file),
        "tasks": sum(v[0] + v[1] for v in per_file.values()),
        "open": sum(v[0] for v in per_file.values()),
        "done": sum(v[1] for v in per_file.values()),
        "other_state": sum(v[2] for v in per_file.values()),
        "heading_tasks": sum(v[3] for v in per_file.values()),
        "decoys": sum(v[4] for v in per_file.values()),
        "skipped_files": len(skipped),
        "skipped_tasks": sum(skipped.values()),
    }
    manifest = {
        "generator_version": GENERATOR_VERSION,
        "args": {"files": files, "seed": seed, "size_kb": size_kb},
        "totals": totals,
        "variants": {k: sorted(p for idx, p in enumerate(per_file) if idx in v)
                     for k, v in variants.items()},
        "file_fields": ["open", "done", "other_state", "heading_tasks", "decoys"],
        "files": per_file,
        "skipped": skipped,
    }
    return out, manifest


def _generated_paths(out_dir: Path) -> list[str]:
    """The files an earlier run wrote into out_dir, from its manifest (else rebuilt from its arguments)."""
    manifest = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    if "written" in manifest:
        return list(manifest["written"])
    if manifest.get("generator_version") != GENERATOR_VERSION:
        raise SystemExit(f"{out_dir} was made by another version of this generator; remove it yourself")
    args = manifest["args"]
    return list(build(args["files"], args["seed"], args["size_kb"])[0])


def _remove_generated(out_dir: Path, generated: set[str]) -> None:
    """Delete only what this generator wrote, then the folders that left empty: files a
    person added to a generated tree are theirs and stay."""
    folders: set[Path] = set()
    for rel in generated:
        parts = Path(rel).parts
        if Path(rel).is_absolute() or ".." in parts:
            continue  # a doctored manifest cannot point outside the tree
        target = out_dir / rel
        if target.is_file() and not target.is_symlink():
            target.unlink()
        folders.update(out_dir.joinpath(*parts[:i]) for i in range(1, len(parts)))
    (out_dir / MANIFEST_NAME).unlink()
    for folder in sorted(folders, key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            folder.rmdir()  # only succeeds when empty: nothing a person put there goes


def write(out_dir: Path, files: int, seed: int = 1, size_kb: float = 12) -> dict:
    """Generate into out_dir (replacing what an earlier run wrote there); return the manifest."""
    out_dir = Path(out_dir)
    earlier: set[str] = set()
    if out_dir.exists() and any(out_dir.iterdir()):
        if not (out_dir / MANIFEST_NAME).exists():
            raise SystemExit(f"{out_dir} is not empty and was not made by this generator; refusing to overwrite")
        earlier = set(_generated_paths(out_dir))
    tree, manifest = build(files, seed, size_kb)
    taken = [rel for rel in tree
             if rel not in earlier and ((out_dir / rel).exists() or (out_dir / rel).is_symlink())]  # fmt: skip
    if taken:
        raise SystemExit(f"{out_dir / taken[0]} exists and was not made by this generator; refusing to overwrite")
    if earlier:
        _remove_generated(out_dir, earlier)
    manifest["written"] = sorted(tree)
    for rel, data in tree.items():
        target = out_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    return manifest


def summary(out_dir: Path, manifest: dict) -> str:
    t = manifest["totals"]
    return (f"generated {t['files']:,} files, {t['bytes']:,} bytes in {out_dir}: "
            f"{t['tasks']:,} checkbox tasks outside code ({t['open']:,} open, {t['done']:,} done), "
            f"{t['other_state']:,} other-state, {t['heading_tasks']:,} heading tasks, "
            f"{t['decoys']:,} checkbox-like decoy lines in code/comments; "
            f"{t['skipped_files']} extra files ({t['skipped_tasks']:,} tasks) in skipped folders")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--files", type=int, required=True, help="number of Markdown files to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-kb", type=float, default=12, help="mean file size in KB (default 12)")
    args = ap.parse_args(argv)
    if args.files < 0:
        ap.error("--files must be >= 0")
    manifest = write(args.out_dir, args.files, args.seed, args.size_kb)
    print(summary(args.out_dir, manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
