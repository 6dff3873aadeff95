"""Run the real ``toolkit`` command in this process and report what it did.

    python tests/pipeline/publish_child.py STATS.json publish --root SHOW [...]

Used by tests/pipeline/test_republish.py and bench/bench_publish.py to observe a
publish exactly as a user runs it (a fresh interpreter, the click entry point,
the real engines) while recording, in STATS.json at exit:

* ``calls`` / ``sentences``: per target language, the engine calls and the
  sentences each engine was actually asked to translate (the engine registry
  is primed with counting wrappers around the *real* engines, so nothing is
  replaced: the wrappers pass every call through);
* ``imported``: whether heavy translation modules (argostranslate,
  ctranslate2, sentencepiece, stanza, torch) were imported at all;
* ``exit``: the command's exit status, ``seconds``: time inside this process
  from before ``import toolkit`` to the end of the command.

The counting wrappers live in this process, so a whole-show ``publish``
without ``--jobs`` runs here with ``--jobs 1`` (the serial path: no worker
processes, whose engines the wrappers would not see).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

T0 = time.perf_counter()

HEAVY = ("argostranslate", "ctranslate2", "sentencepiece", "stanza", "torch")


def main(argv: Sequence[str]) -> int:
    stats_path = Path(argv[0])
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the support package
    from support.engines import CountingEngine
    from toolkit.translate import registry

    calls: dict[str, int] = {}
    sentences: dict[str, list[str]] = {}

    class Recording(CountingEngine):
        def translate_batch(self, batch: Sequence[str], src: str, tgt: str) -> list[str]:
            calls[tgt] = calls.get(tgt, 0) + 1
            sentences.setdefault(tgt, []).extend(batch)
            return super().translate_batch(batch, src, tgt)

    # get_engine() keeps one instance per name in this registry: putting a
    # pass-through wrapper there makes every caller (episodes, show texts) use it.
    for name in registry.names():
        registry._ENGINES[name] = Recording(registry.get_engine(name))

    from toolkit.cli import main as toolkit_main

    args = list(argv[1:])
    if args[:1] == ["publish"] and "episode" not in args and not any(a.startswith(("--jobs", "-j")) for a in args):
        args.insert(1, "--jobs=1")  # the recording wrappers see this process only
    code = 0
    try:
        toolkit_main(args, prog_name="toolkit")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        stats = {
            "exit": code,
            "seconds": time.perf_counter() - T0,
            "calls": calls,
            "sentences": sentences,
            "imported": {m: m in sys.modules for m in HEAVY},
        }
        stats_path.write_text(json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
