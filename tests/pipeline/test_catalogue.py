"""The catalogue publish (issue 14): episodes as independent tasks on worker
processes (``--jobs N``) or a real Dask cluster (``--scheduler``), one
coordinating process writing everything -- byte-identical to ``--jobs 1``;
a failing episode is isolated.

The demo show is published once serially (cold: it aligns the audio); each
other publish starts from a fresh copy that gets only that publish's audio
analysis cache (``.toolkit/cache/audio``, keyed by the audio's own hash), so it
still ingests, segments, translates (an empty memory) and writes everything,
without decoding and aligning the audio again -- except the killed-worker test,
whose copy is cold so that every task runs for seconds (the kill lands inside one).
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from support.tools import skip_or_fail
from toolkit import catalogue
from toolkit.translate.apertium import mode_for

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
AUDIO_CACHE = Path(".toolkit") / "cache" / "audio"
BROKEN_SRT = "1\n00:00:05,000 --> 00:00:01,000\nThe end comes before the start.\n"


def _tree(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` except hidden state (``.history/``)."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)}


def _copy_demo(dest: Path, audio_cache: Path | None = None) -> Path:
    dest.mkdir(parents=True)
    for name in ("show.toml", "cover.png"):
        shutil.copy2(REPO / name, dest / name)
    for name in ("episodes", "translations"):
        shutil.copytree(REPO / name, dest / name, ignore=shutil.ignore_patterns(".*"))
    if audio_cache is not None:
        shutil.copytree(audio_cache, dest / AUDIO_CACHE)
    return dest


def _publish(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "toolkit", "publish", "--root", str(root), *args],
                          capture_output=True, text=True, timeout=600, env=env)


def _same_site(a: Path, b: Path) -> None:
    for name in ("feeds", "translations"):
        left, right = _tree(a / name), _tree(b / name)
        differ = sorted(k for k in left.keys() | right.keys() if left.get(k) != right.get(k))
        assert not differ, f"{name}/ differs: {differ[:10]}"


@pytest.fixture(scope="module")
def serial(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo published with ``--jobs 1`` (today's serial, in-process path)."""
    if shutil.which("apertium") is None or mode_for("en", "es") is None:
        skip_or_fail("the demo's Spanish needs apertium eng-spa")
    show = _copy_demo(tmp_path_factory.mktemp("serial") / "show")
    run = _publish(show, "--jobs", "1")
    assert run.returncode == 0, run.stderr
    return show


def test_two_worker_processes_publish_what_one_process_does(serial: Path, tmp_path: Path) -> None:
    show = _copy_demo(tmp_path / "show", serial / AUDIO_CACHE)
    run = _publish(show, "--jobs", "2")
    assert run.returncode == 0, run.stderr
    assert "published 3 episode(s)" in run.stdout
    _same_site(serial, show)
    # the worker never wrote the memory: the coordinator stored every entry it made
    assert (show / ".toolkit" / "memory.sqlite").is_file()


def test_a_dask_cluster_publishes_what_one_process_does(serial: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    show = _copy_demo(tmp_path / "show", serial / AUDIO_CACHE)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster:
        run = _publish(show, "--scheduler", cluster.scheduler_address)
    assert run.returncode == 0, run.stderr
    assert "published 3 episode(s)" in run.stdout
    _same_site(serial, show)


def test_a_dask_worker_killed_mid_task_has_its_episode_run_again(serial: Path, tmp_path: Path) -> None:
    """SIGKILL a worker process while it runs an episode: Dask runs that task again elsewhere
    (the scheduler reschedules a dead worker's tasks; ``distributed.scheduler.allowed-failures``)
    and the site is still byte-identical to ``--jobs 1``.

    A cold copy (no audio cache): every task aligns its audio, seconds of work, so the kill
    lands inside a task.  The test polls the workers for a running ``toolkit-publish-`` task
    (bounded) and kills that worker's process; the scheduler's own event log then shows the
    worker removed, not expected, with that task in processing, and a scheduler plugin counts
    the task sent to a worker a second time.
    """
    distributed = pytest.importorskip("distributed")

    def executing(dask_worker: Any) -> tuple[int, list[str]]:
        """On a Dask worker (sent by value: a local function): its pid and the tasks it runs now."""
        return os.getpid(), sorted(str(ts.key) for ts in dask_worker.state.executing)

    show = _copy_demo(tmp_path / "show")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as cluster, \
            distributed.Client(cluster) as client:
        starts: collections.Counter[str] = collections.Counter()

        class CountStarts(distributed.diagnostics.plugin.SchedulerPlugin):  # type: ignore[misc]
            """Counts each task's transitions to ``processing`` (the scheduler runs in this process)."""

            def transition(self, key: Any, start: str, finish: str, *args: Any, **kwargs: Any) -> None:
                if finish == "processing":
                    starts[str(key)] += 1

        cluster.scheduler.add_plugin(CountStarts(), name="count-starts")
        publish = subprocess.Popen([sys.executable, "-m", "toolkit", "publish", "--root", str(show),
                                    "--scheduler", cluster.scheduler_address],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            victim: tuple[str, int, str] | None = None
            deadline = time.monotonic() + 120
            while victim is None and time.monotonic() < deadline and publish.poll() is None:
                for address, (pid, keys) in client.run(executing).items():
                    if any(key.startswith("toolkit-publish-") for key in keys):
                        victim = (address, pid, next(k for k in keys if k.startswith("toolkit-publish-")))
                        break
                else:
                    time.sleep(0.05)
            assert victim is not None, "no worker was seen running an episode"
            address, pid, key = victim
            os.kill(pid, signal.SIGKILL)
            out, err = publish.communicate(timeout=180)
        finally:
            if publish.poll() is None:
                publish.kill()
                publish.communicate()
        assert publish.returncode == 0, out + err
        assert "published 3 episode(s)" in out
        removed = [event for _, event in client.get_events("all")
                   if isinstance(event, dict) and event.get("action") == "remove-worker"
                   and event.get("worker") == address]
        assert removed, f"the scheduler never removed {address}"
        assert removed[0]["expected"] is False
        assert key in removed[0]["processing-tasks"]
        # and Dask ran it again: sent to a worker a second time (and the publish got its result)
        assert starts[key] >= 2, starts
        assert pid not in client.run(os.getpid).values()  # the nanny started a new worker process
    _same_site(serial, show)


def test_a_worker_that_does_not_see_the_show_is_found(tmp_path: Path) -> None:
    """What each Dask worker runs before any task is submitted (a shared file system is required)."""
    config = tmp_path / "show.toml"
    config.write_bytes(b"title = 'x'\n")
    good = hashlib.sha256(b"title = 'x'\n").hexdigest()
    assert catalogue._sees_show(str(config), good) is None
    assert "other bytes" in (catalogue._sees_show(str(config), "0" * 64) or "")
    assert "cannot read" in (catalogue._sees_show(str(tmp_path / "elsewhere" / "show.toml"), good) or "")


def test_a_broken_episode_is_isolated(serial: Path, tmp_path: Path) -> None:
    show = _copy_demo(tmp_path / "show", serial / AUDIO_CACHE)
    (show / "episodes" / "darning-a-sweater" / "transcript.srt").write_text(BROKEN_SRT, encoding="utf-8")
    run = _publish(show, "--jobs", "2")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "failed: darning-a-sweater: " in run.stderr and "transcript.srt" in run.stderr
    assert "1 episode(s) not published (darning-a-sweater); 2 published" in " ".join(run.stderr.split())
    feed = (show / "feeds" / "feed.xml").read_text(encoding="utf-8")
    for slug in ("spokes-and-patience", "the-clock-doctor"):
        assert (show / "feeds" / "episodes" / slug / "episode.json").is_file()
        assert f"/episodes/{slug}/" in feed
        # the published episodes are exactly what a serial publish made of them
        assert _tree(show / "feeds" / "episodes" / slug) == _tree(serial / "feeds" / "episodes" / slug)
    assert not (show / "feeds" / "episodes" / "darning-a-sweater").exists()
    assert "darning-a-sweater" not in feed


def test_fail_fast_stops_at_the_first_failure(serial: Path, tmp_path: Path) -> None:
    show = _copy_demo(tmp_path / "show", serial / AUDIO_CACHE)
    folder = show / "episodes" / "the-clock-doctor"  # the second episode by date
    (folder / "transcript.txt").unlink()
    (folder / "transcript.srt").write_text(BROKEN_SRT, encoding="utf-8")
    run = _publish(show, "--jobs", "1", "--fail-fast")
    assert run.returncode == 1, run.stdout + run.stderr
    message = " ".join(run.stderr.split())
    assert "failed: the-clock-doctor: " in message
    assert "1 episode(s) not published (the-clock-doctor); 1 not attempted (--fail-fast); 1 published" in message
    assert (show / "feeds" / "episodes" / "spokes-and-patience").is_dir()
    assert not (show / "feeds" / "episodes" / "darning-a-sweater").exists()
    feed = (show / "feeds" / "feed.xml").read_text(encoding="utf-8")
    assert "/episodes/spokes-and-patience/" in feed and "darning-a-sweater" not in feed


def test_a_worker_reads_the_memory_and_leaves_its_entries_to_the_coordinator(tmp_path: Path) -> None:
    from toolkit.translate.memory import PendingMemory, TranslationMemory

    path = tmp_path / ".toolkit" / "memory.sqlite"
    with TranslationMemory(path) as coordinator:  # open (WAL) while the worker reads, as in a publish
        coordinator.store("apertium", "m1", "en", "es", {"hello": "hola"})
        before = path.read_bytes()
        with PendingMemory(path) as worker:
            assert worker.lookup("apertium", "m1", "en", "es", ["hello", "bye"]) == {"hello": "hola"}
            worker.store("apertium", "m1", "en", "es", {"bye": "adiós"})
            assert worker.lookup("apertium", "m1", "en", "es", ["hello", "bye"]) == {"hello": "hola", "bye": "adiós"}
            assert worker.pending == [("apertium", "en", "es", (("m1", "bye", "adiós"),))]
        assert path.read_bytes() == before  # the worker wrote nothing
        assert coordinator.lookup("apertium", "m1", "en", "es", ["bye"]) == {}
        for engine, src, tgt, triples in worker.pending:
            coordinator.store_models(engine, src, tgt, triples)
        assert coordinator.lookup("apertium", "m1", "en", "es", ["bye"]) == {"bye": "adiós"}
    with PendingMemory(tmp_path / "absent" / "memory.sqlite") as empty:  # no memory yet: reads as empty
        assert empty.lookup("apertium", "m1", "en", "es", ["hello"]) == {}
    assert not (tmp_path / "absent").exists()


def test_without_distributed_a_scheduler_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.errors import ToolMissingError

    monkeypatch.setitem(sys.modules, "distributed", None)  # import fails, as without the cluster extra
    with pytest.raises(ToolMissingError, match=r"pip install 'toolkit\[cluster\]'"):
        with catalogue._client("tcp://127.0.0.1:8786"):
            pass


def test_show_toml_names_the_scheduler(tmp_path: Path) -> None:
    from toolkit import config
    from toolkit.errors import ConfigError

    show = _copy_demo(tmp_path / "show")
    text = (REPO / "show.toml").read_text(encoding="utf-8")
    (show / "show.toml").write_text(text + '\n[cluster]\nscheduler = "tcp://10.0.0.5:8786"\n', encoding="utf-8")
    assert config.load_show(show).scheduler == "tcp://10.0.0.5:8786"
    (show / "show.toml").write_text(text + '\n[cluster]\nscheduler = "10.0.0.5"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"show.toml: cluster.scheduler: '10.0.0.5' is not a Dask scheduler"):
        config.load_show(show)
    assert config.load_show(REPO).scheduler is None


class _Recorder:
    """A progress view that keeps what it is shown, the workers' stages included."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, str | None]] = []
        self.done: list[str] = []

    def __call__(self, message: str) -> None:
        pass

    def advance(self, message: str) -> None:
        self.done.append(message)

    def set_total(self, n: int) -> None:
        pass

    def worker(self, name: str, stage: str | None) -> None:
        self.stages.append((name, stage))


def _check_stages(rec: _Recorder, slugs: list[str]) -> None:
    named = {name for name, _ in rec.stages}
    assert named, "no worker reported a stage"
    shown = [stage for _, stage in rec.stages if stage is not None]
    for slug in slugs:  # every episode's task reported where it was, ending with its rendering
        assert f"{slug}: reading transcript.txt" in shown or any(s.startswith(f"{slug}: ") for s in shown), slug
        assert f"{slug}: rendering subtitles and pages" in shown, slug
    assert any(": translating into es (" in s for s in shown)
    # once the episodes are done, every worker's line is cleared (the last word on each is None)
    last = {name: stage for name, stage in rec.stages}
    assert all(stage is None for stage in last.values()), last
    assert len(rec.done) == len(slugs)


def test_the_progress_view_shows_each_pool_workers_stage(serial: Path, tmp_path: Path) -> None:
    from toolkit import config

    root = _copy_demo(tmp_path / "show", serial / AUDIO_CACHE)
    show = config.load_show(root)
    rec = _Recorder()
    run = catalogue.publish_catalogue(show, jobs=2, progress=rec)
    assert not run.failures
    assert {name for name, _ in rec.stages} <= {"worker 1", "worker 2"}
    _check_stages(rec, [r.source.episode.slug for r in run.results])
    _same_site(serial, root)


def test_the_progress_view_shows_each_dask_workers_stage(serial: Path, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from toolkit import config

    root = _copy_demo(tmp_path / "show", serial / AUDIO_CACHE)
    show = config.load_show(root)
    rec = _Recorder()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=40) as cluster:
        run = catalogue.publish_catalogue(show, scheduler=cluster.scheduler_address, progress=rec)
        names = {f"worker {address}" for address in cluster.scheduler_info["workers"]}
    assert not run.failures
    assert {name for name, _ in rec.stages} <= names
    _check_stages(rec, [r.source.episode.slug for r in run.results])
    _same_site(serial, root)


def test_the_longest_episodes_start_first_and_commit_in_episode_order(tmp_path: Path) -> None:
    """LPT: within each block, tasks start biggest audio first (ties and missing files in episode
    order), so a long episode drawn last does not keep one worker busy while the others wait; the
    futures come back in episode order, the order everything is committed in, and blocks bound
    how many results wait for an earlier one."""
    from toolkit.model import Episode  # noqa: PLC0415  # reason: only this test builds bare episodes

    sizes = {"a": 10, "b": 300, "c": 0, "d": 300, "e": 50, "f": 1, "g": 900}
    episodes = []
    for slug, size in sizes.items():
        audio = tmp_path / f"{slug}.mp3"
        if size:
            audio.write_bytes(b"\0" * size)
        episodes.append(Episode(slug=slug, title=slug, date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                                description="", audio=audio, transcript=None, folder=tmp_path))

    def order(block: int) -> list[str]:
        return [episodes[i].slug for i in catalogue.longest_first(episodes, block)]

    assert order(100) == ["g", "b", "d", "e", "a", "f", "c"]
    assert order(3) == ["b", "a", "c", "d", "e", "f", "g"]
    assert order(1) == list(sizes)
    started: list[str] = []

    def submit(episode: Episode) -> str:
        started.append(episode.slug)
        return f"future-{episode.slug}"

    assert catalogue._in_order(episodes, 2, submit) == [f"future-{s}" for s in sizes]
    assert started == order(2 * catalogue.LPT_BLOCK_PER_WORKER) == order(100)
    started.clear()  # --fail-fast: in episode order (a failure shows when its episode is committed)
    assert catalogue._in_order(episodes, 2, submit, fail_fast=True) == [f"future-{s}" for s in sizes]
    assert started == list(sizes)


def _big_result(n: int) -> bytes:
    return (bytes(range(256)) * (n // 256 + 1))[:n]


def _kernel_allows_a_wide_pipe() -> bool:
    import fcntl

    read, write = os.pipe()
    try:
        fcntl.fcntl(read, fcntl.F_SETPIPE_SZ, catalogue.RESULT_PIPE_BYTES)
        return True
    except OSError:  # over /proc/sys/fs/pipe-max-size or the user's pipe quota
        return False
    finally:
        os.close(read)
        os.close(write)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ is Linux's")
def test_the_pools_result_pipe_has_room_for_an_episodes_files() -> None:
    """The workers' results come back through one pipe; the pool `toolkit publish` starts gives it
    room for an episode's files (with Linux's default 64 kB a worker waited in write() until the
    coordinator had read its result piece by piece).  Results larger than the pipe still arrive whole."""
    import fcntl

    if not _kernel_allows_a_wide_pipe():
        pytest.skip("this kernel or user may not have 1 MB pipes (the pool then keeps the default)")
    pool = catalogue._pool(2)
    try:
        reader = pool._result_queue._reader  # type: ignore[attr-defined]
        assert fcntl.fcntl(reader.fileno(), fcntl.F_GETPIPE_SZ) >= catalogue.RESULT_PIPE_BYTES
        sizes = [10, 300_000, 3 * catalogue.RESULT_PIPE_BYTES + 7]
        got = list(pool.map(_big_result, sizes))
        assert [len(b) for b in got] == sizes
        assert got == [_big_result(n) for n in sizes]
    finally:
        pool.shutdown()
