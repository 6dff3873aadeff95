"""Two-pass EBU R128 loudness normalisation and MP3 encoding, streamed through
ffmpeg (the toolkit's one resolver, :mod:`toolkit.timing.ffmpeg`).

Pass 1 (:func:`measure`) runs the EBU R128 meter (``ebur128``, true peak on)
over the whole programme (intro + episode + outro, concatenated inside
ffmpeg's filter graph).  Pass 2 (:func:`encode`) applies the measured values with
``linear=true`` (one gain for the whole file, when the true-peak ceiling allows
it; ffmpeg falls back to its dynamic mode when it does not) in the *same*
command that encodes the MP3 (libmp3lame, Xing header, no ffmpeg tags: the
toolkit writes the tags itself, :mod:`toolkit.master.id3`).

Memory stays flat whatever the length: Python never holds the samples; ffmpeg
streams them.  The encoder is asked for a ceiling 0.5 dB below the target so the
MP3's own overshoot (inter-sample peaks after lossy coding) stays under it.
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


def _graph(prog: Programme, tail: str) -> str:
    """The filter graph: every part resampled to one format, concatenated, then ``tail``."""
    layout = "mono" if prog.channels == 1 else "stereo"
    chains = [f"[{i}:a:0]aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:channel_layouts={layout}[p{i}]"
              for i in range(len(prog.parts))]
    joined = "".join(f"[p{i}]" for i in range(len(prog.parts)))
    if len(prog.parts) > 1:
        chains.append(f"{joined}concat=n={len(prog.parts)}:v=0:a=1[prog]")
    else:
        chains.append(f"{joined}anull[prog]")
    chains.append(f"[prog]{tail}[out]")
    return ";".join(chains)


def _inputs(prog: Programme) -> list[str]:
    args: list[str] = []
    for part in prog.parts:
        args += ["-i", str(part)]
    return args


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


def _loudnorm_json(stderr: str, what: Path) -> dict[str, Any]:
    """The JSON block loudnorm prints at the end of its run."""
    m = re.search(r"\[Parsed_loudnorm[^\]]*\][^\n]*\n(\{.*?\})", stderr, re.S)
    if not m:
        raise AudioError("ffmpeg loudnorm printed no measurement", path=what)
    try:
        data = json.loads(m.group(1))
    except json.JSONDecodeError:
        raise AudioError("ffmpeg loudnorm printed an unreadable measurement", path=what) from None
    assert isinstance(data, dict)
    return data


def _targets(prog: Programme, measured_lra: float | None = None) -> str:
    lra = 11.0 if measured_lra is None else min(50.0, max(11.0, measured_lra + 1.0))
    return f"I={prog.loudness:g}:TP={prog.true_peak - ENCODER_MARGIN_DB:g}:LRA={lra:g}"


def measure(prog: Programme) -> dict[str, Any]:
    """Pass 1: the EBU R128 meter (ffmpeg ``ebur128``, true peak on) over the whole
    programme, as loudnorm's ``measured_*`` inputs: input_i, input_tp, input_lra,
    input_thresh.

    loudnorm's own analysis pass is not used: it runs its dynamic processing
    while measuring and its ``input_i`` differed from the meter by up to 2 LU on
    programmes with a loud intro (measured: -31.9 vs -33.9 LUFS), which put the
    result 2 LU off target.
    """
    cmd = [resolve_ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", *_inputs(prog),
           "-filter_complex", _graph(prog, "ebur128=peak=true:framelog=verbose"),
           "-map", "[out]", "-f", "null", "-"]
    what = prog.parts[0] if len(prog.parts) == 1 else prog.parts[1]
    stderr = _run(cmd, what)
    start = stderr.rfind("Summary:")
    summary = stderr[start:] if start >= 0 else ""
    found = {
        "input_i": re.search(r"Integrated loudness:\s+I:\s+(-?[\d.]+|-inf) LUFS\s+Threshold:\s+(-?[\d.]+|-inf)",
                             summary),
        "input_lra": re.search(r"LRA:\s+(-?[\d.]+) LU", summary),
        "input_tp": re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary),
    }
    if not all(found.values()):
        raise AudioError("ffmpeg's loudness meter printed no summary", path=what)
    i_match, lra_match, tp_match = found["input_i"], found["input_lra"], found["input_tp"]
    assert i_match and lra_match and tp_match
    if "inf" in i_match.group(1) or "inf" in tp_match.group(1):
        raise AudioError("the audio is silent: there is no loudness to normalise", path=what)
    return {"input_i": i_match.group(1), "input_thresh": i_match.group(2), "input_lra": lra_match.group(1),
            "input_tp": tp_match.group(1), "meter": "ebur128"}


def encode(prog: Programme, measured: dict[str, Any], out: Path, *, kbps: int) -> dict[str, Any]:
    """Pass 2: normalise with the measured values and encode the MP3 at ``out``;
    returns loudnorm's report of the output (output_i, output_tp, normalization_type)."""
    try:
        values = {k: float(measured[k]) for k in ("input_i", "input_tp", "input_lra", "input_thresh",
                                                  )}
    except (KeyError, TypeError, ValueError):
        raise AudioError("stored loudness measurement is incomplete", path=out) from None
    # loudnorm reads a measured LRA of 0 as "not measured" and falls back to its
    # dynamic mode; a steady programme really measures 0.00, so 0.1 is passed.
    # The offset is left to loudnorm: in linear mode it is target - measured.
    norm = (f"loudnorm={_targets(prog, values['input_lra'])}:measured_I={values['input_i']:.2f}:"
            f"measured_TP={values['input_tp']:.2f}:measured_LRA={max(0.1, values['input_lra']):.2f}:"
            f"measured_thresh={values['input_thresh']:.2f}:"
            f"linear=true:print_format=json,aresample={SAMPLE_RATE}")
    cmd = [resolve_ffmpeg(), "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", "-y", *_inputs(prog),
           "-filter_complex", _graph(prog, norm), "-map", "[out]",
           "-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
           "-c:a", "libmp3lame", "-b:a", f"{kbps}k", "-ar", str(SAMPLE_RATE), "-ac", str(prog.channels),
           "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3", str(out)]
    return _loudnorm_json(_run(cmd, prog.parts[0] if len(prog.parts) == 1 else prog.parts[1]), out)
