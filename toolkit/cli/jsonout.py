"""``--json``: machine-readable output for scripts and CI, one schema per command.

Every document is one JSON object on standard output (UTF-8, one line per
document, keys in a fixed order)::

    {"schema": "toolkit.<command>", "version": 1, ...}

``version`` changes only when a field is removed or changes meaning (new
fields may be added at any time).  Errors are not JSON: they stay one line on
standard error with a non-zero exit, as for every command.  The schemas are
documented in the README ("Machine-readable output").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

import click

from ..build import EpisodeResult

VERSION = 1

json_option = click.option("--json", "as_json", is_flag=True,
                           help="Print one JSON document (schema in the README) instead of text.")


def emit(schema: str, **fields: Any) -> None:
    """Write ``{"schema": "toolkit.<schema>", "version": 1, **fields}`` to stdout."""
    doc = {"schema": f"toolkit.{schema}", "version": VERSION, **fields}
    sys.stdout.write(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
    sys.stdout.flush()


def episode_summary(result: EpisodeResult) -> dict[str, Any]:
    """What ``publish --json`` says of one episode."""
    src = result.source
    report = src.alignment
    errors = sum(1 for i in src.qc if getattr(i, "severity", "error") == "error")
    return {
        "slug": src.episode.slug,
        "transcript": src.episode.transcript is not None,
        "cues": len(src.cues),
        "chapters": len(src.chapters),
        "timing": {"method": report.method, "engine": report.engine or None,
                   "mean_confidence": round(report.mean_confidence, 3), "words": report.words,
                   "low_confidence": list(report.low_confidence), "note": report.note or None},
        "qc": {"errors": errors, "warnings": len(src.qc) - errors},
        "audio": {"file": src.episode.audio.name, "size": src.audio.size, "duration_ms": src.audio.duration_ms,
                  "mime": src.audio.mime},
        "languages": [{"lang": b.lang, "machine": b.machine, "engine": b.engine, "pseudo": b.pseudo,
                       "warnings": len(b.warnings)} for b in result.languages.values()],
        "written": len(result.written),
    }


def publish_summary(results: Iterable[EpisodeResult], feeds_dir: str, failed: Iterable[Any] = (),
                    skipped: Iterable[str] = ()) -> None:
    """``toolkit publish --json``: the published episodes, and those that failed
    (``slug``, one-line ``error``, its ``kind``) or were not attempted (``--fail-fast``)."""
    episodes = [episode_summary(r) for r in results]
    emit("publish", feeds_dir=feeds_dir, episodes=episodes,
         failed=[{"slug": f.slug, "error": f.message, "kind": f.kind} for f in failed], skipped=list(skipped))


def check_report(findings: Iterable[Any], cue_counts: dict[str, int]) -> None:
    """``toolkit check --json``: every finding, and the counts."""
    items = [{
        "severity": f.severity,
        "rule": f.rule,
        "message": f.message,
        "episode": getattr(f, "episode", None),
        "cue": getattr(f, "cue", None),
        "start_ms": getattr(f, "start", None),
        "path": str(f.path) if getattr(f, "path", None) else None,
    } for f in findings]
    errors = sum(1 for f in items if f["severity"] == "error")
    emit("check", episodes=len(cue_counts), cues=sum(cue_counts.values()), errors=errors,
         warnings=len(items) - errors, findings=items)
