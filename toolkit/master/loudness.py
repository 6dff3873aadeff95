"""Two-pass EBU R128 loudness normalisation and MP3 encoding, streamed through
ffmpeg (the toolkit's one resolver, :mod:`toolkit.timing.ffmpeg`).

Each part of the programme (intro, episode, outro) is brought to the target on
its own, so a loud jingle never pushes the episode down (nor a quiet one up):

* pass 1 (:func:`measure`): the EBU R128 meter (``ebur128``, true peak on)
  over one part, in the programme's format; its integrated loudness, loudness
  range, true peak and gating threshold are loudnorm's ``measured_*`` inputs;
* pass 2 (:func:`encode`): one ffmpeg command that runs ``loudnorm`` with
  those values and ``linear=true`` on every part (one gain per part; loudnorm
  falls back to its dynamic mode, a true-peak limiter with gain riding, only
  where the gain would push peaks over the ceiling), concatenates the parts and
  encodes the MP3 (libmp3lame, Xing header, no ffmpeg tags: the toolkit writes
  the tags itself, :mod:`toolkit.master.id3`).

loudnorm's own analysis pass is not used: it measures while running its
dynamic processing, and its ``input_i`` differed from the meter by 2 LU on a
test programme (-31.9 vs -33.9 LUFS).  Memory stays flat whatever the length:
Python never holds the samples; ffmpeg streams them.  The encoder is asked for
a ceiling 0.5 dB below the target so the MP3's own overshoot (inter-sample
peaks after lossy coding) stays under it.
"""

from __future__ import annotations

import json
import logging
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AudioError
from ..timing.ffmpeg import resolve_ffmpeg

log = logging.getLogger(__name__)

#: dB of headroom under the true-peak target for the MP3 encoder's overshoot.
ENCODER_MARGIN_DB = 0.5
SAMPLE_RATE = 44100
TIMEOUT_S = 6 * 3600


@dataclass(frozen=True)
class Programme:
    """The inputs of one mastering run, in play order, and the output layout."""

    parts: tuple[Path, ...]  # intro?, episode, outro?
    channels: int  # 1 or 2
    loudness: float  # LUFS target
    true_peak: float  # dBTP ceiling of the published file

    main: int = 0  # index of the episode's own audio in ``parts`` (named in errors)


def _format(prog: Programme) -> str:
    layout = "mono" if prog.channels == 1 else "stereo"
    return f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts={layout}"


def _run(cmd: Sequence[str], what: Path) -> str:
    try:
        proc = subprocess.run(list(cmd), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise AudioError("ffmpeg took too long mastering the audio", path=what) from None
    stderr = proc.stderr.decode("utf-8", "replace")
    if proc.returncode != 0:
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
        detail = lines[-1] if lines else f"exit status {proc.returncode}"
        raise AudioError(f"ffmpeg could not master the audio: {detail}", path=what)
    return stderr


def _loudnorm_reports(stderr: str, what: Path) -> list[dict[str, Any]]:
    """The JSON blocks loudnorm prints at the end of its run (one per instance)."""
    reports = []
    for m in re.finditer(r"\[Parsed_loudnorm[^\]]*\][^\n]*\n(\{.*?\})", stderr, re.S):
        try:
            data = json.loads(m.group(1))
        except json.JSONDecodeError:
            raise AudioError("ffmpeg loudnorm printed an unreadable report", path=what) from None
        reports.append(data)
    if not reports:
        raise AudioError("ffmpeg loudnorm printed no report", path=what)
    return reports


def measure(prog: Programme, part: Path) -> dict[str, Any]:
    """Pass 1 for one part: input_i, input_tp, input_lra, input_thresh (ebur128 meter)."""
    cmd = [resolve_ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", "-i", str(part),
           "-filter_complex", f"[0:a:0]{_format(prog)},ebur128=peak=true:framelog=verbose[out]",
           "-map", "[out]", "-f", "null", "-"]
    stderr = _run(cmd, part)
    start = stderr.rfind("Summary:")
    summary = stderr[start:] if start >= 0 else ""
    i_match = re.search(r"Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS\s+Threshold:\s+(-?[\d.]+|-inf)", summary)
    lra_match = re.search(r"LRA:\s+(-?[\d.]+) LU", summary)
    tp_match = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    if not (i_match and lra_match and tp_match):
        raise AudioError("ffmpeg's loudness meter printed no summary", path=part)
    if "inf" in i_match.group(1) or "inf" in tp_match.group(1) or float(i_match.group(1)) < -70:
        raise AudioError("the audio is silent: there is no loudness to normalise", path=part)
    return {"input_i": float(i_match.group(1)), "input_thresh": float(i_match.group(2)),
            "input_lra": float(lra_match.group(1)), "input_tp": float(tp_match.group(1)), "meter": "ebur128"}


def _loudnorm(prog: Programme, m: dict[str, Any]) -> str:
    # loudnorm reads a measured LRA of 0 as "not measured" and falls back to its
    # dynamic mode; a steady part really measures 0.0, so 0.1 is passed.  Its
    # LRA target must not be below the measured range, or it rides the gain.
    lra = max(0.1, float(m["input_lra"]))
    target_lra = min(50.0, max(11.0, lra + 1.0))
    return (f"loudnorm=I={prog.loudness:g}:TP={prog.true_peak - ENCODER_MARGIN_DB:g}:LRA={target_lra:g}:"
            f"measured_I={float(m['input_i']):.2f}:measured_TP={float(m['input_tp']):.2f}:"
            f"measured_LRA={lra:.2f}:measured_thresh={float(m['input_thresh']):.2f}:"
            f"linear=true:print_format=json")


def encode(prog: Programme, measured: Sequence[dict[str, Any]], out: Path, *, kbps: int) -> list[dict[str, Any]]:
    """Pass 2: normalise every part with its measurement, join them and encode the
    MP3 at ``out``; returns loudnorm's report per part (output_i, output_tp,
    normalization_type)."""
    if len(measured) != len(prog.parts):
        raise AudioError("stored loudness measurement does not match the parts", path=out)
    chains = []
    for i, m in enumerate(measured):
        try:
            norm = _loudnorm(prog, m)
        except (KeyError, TypeError, ValueError):
            raise AudioError("stored loudness measurement is incomplete", path=out) from None
        chains.append(f"[{i}:a:0]{_format(prog)},{norm},{_format(prog)}[p{i}]")
    joined = "".join(f"[p{i}]" for i in range(len(prog.parts)))
    chains.append(f"{joined}concat=n={len(prog.parts)}:v=0:a=1[out]" if len(prog.parts) > 1 else f"{joined}anull[out]")
    inputs: list[str] = []
    for part in prog.parts:
        inputs += ["-i", str(part)]
    cmd = [resolve_ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", "-y", *inputs,
           "-filter_complex", ";".join(chains), "-map", "[out]",
           "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
           "-c:a", "libmp3lame", "-b:a", f"{kbps}k", "-ar", str(SAMPLE_RATE), "-ac", str(prog.channels),
           "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3", str(out)]
    return _loudnorm_reports(_run(cmd, prog.parts[prog.main]), out)
