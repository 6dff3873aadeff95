"""Publishing the whole catalogue: every episode an independent task, on every core
or on a Dask cluster, with one coordinating process that writes everything.

    publish_catalogue(show, *, jobs, scheduler, fail_fast) -> CatalogueRun

Each episode's work -- ingest → timing → segment (:func:`toolkit.pipeline.build_source`),
mastering, translation into every target language, the show texts its pages
need -- is :func:`toolkit.pipeline.compute_episode`: a function of the show,
the episode and the files it reads, whose result (:class:`~toolkit.pipeline.EpisodeOutcome`)
is the episode's records plus the translation-memory entries and
translations-store files it made.  Tasks run in worker processes; each reads
the memory read-only (:class:`~toolkit.translate.memory.PendingMemory`) and
writes only caches keyed by their inputs, one episode's files each
(``.toolkit/cache/source``, ``published``, ``audio``: the aligner's windows
are kept per episode slug and written atomically under a unique temporary
name, so concurrent workers never share a file).  The coordinating process
alone -- holding the show's lock -- writes the translations stores, the memory
and the site (:func:`toolkit.pipeline.commit_episode`), in episode order,
whatever order the tasks finish in; so the output is byte-identical to
``--jobs 1``, which is the serial in-process path of
:func:`toolkit.pipeline.publish_show`.

Where tasks run:

* ``jobs == 1``: in this process, one after another (no pool);
* ``jobs > 1`` (the default: the cores this process may use): a local
  :class:`~concurrent.futures.ProcessPoolExecutor` in the ``forkserver``
  context (``spawn`` where there is none: fork and the model runtimes do not
  mix); each worker process loads a model once (the engine registry and the
  aligners' caches live in the process) and keeps it for every episode it runs;
* ``scheduler`` (``--scheduler tcp://host:8786`` or show.toml ``[cluster]
  scheduler``): a Dask ``distributed.Client`` (the optional ``cluster`` extra).
  The task carries the show and episode records, whose paths are absolute: the
  workers read the show folder **through a shared file system at the same
  path** (checked before anything is submitted: every worker must read the
  same ``show.toml`` bytes there), and write their caches there.  Dask
  retries a task whose worker died.

The progress view: ``progress(message)`` gets the coordinator's messages;
``progress.advance(message)`` one per finished episode (done / failed /
remaining); ``progress.set_total(n)`` the number of episodes; and, where the
view has it, ``progress.worker(name, stage)`` each worker's current stage
(``"worker 2"`` on the pool, ``"worker tcp://10.0.0.5:40211"`` on Dask,
``"slug: translating into es (apertium)"``; ``None`` when the episodes are done).  Pool workers send their stages over a queue, Dask workers
as Dask events (``Worker.log_event`` / ``Client.subscribe_topic``).

A task that fails with a :class:`~toolkit.errors.ToolkitError` is isolated: it
is reported with its slug and one-line message, the other episodes are
published and listed in the feeds (a failed episode published before keeps its
previous version there), and the caller exits non-zero; ``fail_fast`` stops at
the first failure in episode order (the episodes before it are published).
Any other exception is a bug and stops the run with its traceback.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from . import config, pipeline
from .build import EpisodeResult
from .errors import ConfigError, ToolkitError, ToolMissingError
from .master import load_settings
from .model import Episode, Show
from .publish import site
from .translate.memory import TranslationMemory

log = logging.getLogger(__name__)

__all__ = ["publish_catalogue", "CatalogueRun", "Failure", "default_jobs", "longest_first"]

Progress = Callable[[str], None]


def _noop(_: str) -> None:
    pass


@dataclass(frozen=True)
class Failure:
    """An episode that was not published: its slug and one-line error."""

    slug: str
    message: str
    kind: str = "ToolkitError"


@dataclass
class CatalogueRun:
    """What a catalogue publish did: the published episodes (episode order), the failed ones."""

    results: list[EpisodeResult] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # not attempted (``fail_fast``)
    workers: str = "serial"


def default_jobs() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    counter = getattr(os, "process_cpu_count", None)  # Python >= 3.13
    if counter is not None:
        return max(1, int(counter() or 1))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


_T = TypeVar("_T")


class _Result(Protocol):
    def result(self) -> Any: ...

    def cancel(self) -> Any: ...


def publish_catalogue(show: Show, *, languages: Sequence[str] | None = None, jobs: int | None = None,
                      scheduler: str | None = None, fail_fast: bool = False,
                      progress: Progress = _noop) -> CatalogueRun:
    """Publish every episode (as independent tasks), then the feeds and show pages."""
    if jobs is not None and jobs < 1:
        raise ConfigError(f"--jobs {jobs}: must be at least 1")
    scheduler = scheduler or show.scheduler
    targets = pipeline.targets_for(show, languages)
    with pipeline.publishing(show, targets) as memory:
        episodes = config.load_episodes(show)
        for episode in episodes:
            # show- and episode-level settings stop the whole run before any work, as
            # show.toml and episode.toml do (one line; not a failure per episode)
            load_settings(show, episode)
        set_total: Callable[[int], None] | None = getattr(progress, "set_total", None)
        if set_total is not None:  # the CLI's bar: done / total, ETA
            set_total(len(episodes))
        n = jobs if jobs is not None else default_jobs()
        with ExitStack() as stack:
            parallel: site.Parallel | None = None
            if scheduler:
                run = _on_dask(show, episodes, targets, memory, scheduler, fail_fast, progress)
            elif n == 1 or len(episodes) <= 1:
                run = _serial(show, episodes, targets, memory, fail_fast, progress)
            else:
                workers = min(n, len(episodes))
                # the workers' stages, for a progress view that shows them
                stages = _context().Queue() if hasattr(progress, "worker") else None
                pool = stack.enter_context(_pool(workers, stages))
                with _watching(progress, stages):
                    run = _on_pool(show, episodes, targets, memory, pool, workers, fail_fast, progress)
                parallel = _on(pool)  # the feeds and show pages render on the same workers
            site.write_show(show, run.results, texts=pipeline.show_texts(show, run.results, memory),
                            progress=progress, parallel=parallel)
    return run


def _tally(progress: Progress, run: CatalogueRun, total: int, slug: str, what: str) -> None:
    """One episode finished: advance the progress view (done / failed / remaining)."""
    done = len(run.results) + len(run.failures)
    failed = f", {len(run.failures)} failed" if run.failures else ""
    getattr(progress, "advance", progress)(f"{slug}: {what} · {len(run.results)} published{failed}, "
                                           f"{total - done} remaining")


def _serial(show: Show, episodes: Sequence[Episode], targets: Sequence[str], memory: TranslationMemory | None,
            fail_fast: bool, progress: Progress) -> CatalogueRun:
    run = CatalogueRun()
    for i, episode in enumerate(episodes):
        try:
            run.results.append(pipeline.publish_loaded(show, episode, targets, memory, progress))
            _tally(progress, run, len(episodes), episode.slug, "published")
        except ToolkitError as exc:
            run.failures.append(Failure(episode.slug, str(exc), type(exc).__name__))
            log.debug("%s: failed", episode.slug, exc_info=True)
            _tally(progress, run, len(episodes), episode.slug, "failed")
            if fail_fast:
                run.skipped.extend(e.slug for e in episodes[i + 1:])
                break
    return run


#: Episodes per block of :func:`longest_first`, per worker: results wait in the coordinator for the
#: block's earlier episodes, so a block bounds how many are held at once.
LPT_BLOCK_PER_WORKER = 8


def longest_first(episodes: Sequence[Episode], block: int) -> list[int]:
    """The order to start the episodes in: within each run of ``block`` episodes (in episode
    order), the biggest audio file first (ties and missing files in episode order).

    A worker that draws a long episode last keeps the run going alone while the others wait
    (a three-hour special after a season of half-hours); starting the longest first (LPT)
    leaves the short ones to even out the end.  Results are committed in episode order, so a
    result waits for the episodes before it: blocks bound that wait (and the results held)
    to about one block."""
    def size(episode: Episode) -> int:
        try:
            return os.stat(episode.audio).st_size
        except OSError:
            return 0
    sizes = [size(episode) for episode in episodes]
    step = max(1, block)
    return [i for start in range(0, len(episodes), step)
            for i in sorted(range(start, min(start + step, len(episodes))), key=lambda i: (-sizes[i], i))]


def _in_order(episodes: Sequence[Episode], workers: int, submit: Callable[[Episode], _T], *,
              fail_fast: bool = False) -> list[_T]:
    """``submit`` every episode, the longest of each block first (in episode order under
    ``fail_fast``: a failure is found when its episode is committed, so the first episodes
    go first); the futures in episode order."""
    started: dict[int, _T] = {}
    block = 1 if fail_fast else LPT_BLOCK_PER_WORKER * max(1, workers)
    for i in longest_first(episodes, block):
        started[i] = submit(episodes[i])
    return [started[i] for i in range(len(episodes))]


def _collect(show: Show, episodes: Sequence[Episode], futures: Sequence[_Result], memory: TranslationMemory | None,
             fail_fast: bool, progress: Progress, run: CatalogueRun) -> CatalogueRun:
    """Commit the tasks' outcomes in episode order (whatever order they finish in)."""
    try:
        for i, (episode, fut) in enumerate(zip(episodes, futures)):
            outcome: pipeline.EpisodeOutcome = fut.result()
            if outcome.error is None:
                try:
                    run.results.append(pipeline.commit_episode(show, outcome, memory, progress))
                    _tally(progress, run, len(episodes), episode.slug, "published")
                    continue
                except ToolkitError as exc:
                    outcome.error, outcome.error_kind = str(exc), type(exc).__name__
            run.failures.append(Failure(episode.slug, outcome.error or "failed", outcome.error_kind or "ToolkitError"))
            _tally(progress, run, len(episodes), episode.slug, "failed")
            if fail_fast:
                run.skipped.extend(e.slug for e in episodes[i + 1:])
                break
    finally:
        for fut in futures:
            fut.cancel()
    return run


# ------------------------------------------------------------------ the local pool

#: In a pool worker: where its tasks' stages go (the coordinator's queue; see :func:`_init_worker`).
_stages: Any = None


def _init_worker(level: int, stages: Any = None) -> None:
    """A worker process's start: log like the coordinator (to the shared stderr);
    send the stages of its tasks to ``stages`` (a queue), when given."""
    global _stages
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    _stages = stages


def _report_stage(message: str) -> None:
    """In a pool worker: one stage of the running task, to the coordinator's progress view."""
    if _stages is not None:
        try:
            _stages.put_nowait((os.getpid(), message))
        except (OSError, ValueError):  # the coordinator closed the queue: nobody is watching
            pass


def _pool_task(show: Show, episode: Episode, targets: Sequence[str]) -> pipeline.EpisodeOutcome:
    """One episode on a pool worker, its stages reported."""
    return pipeline.compute_episode(show, episode, targets, progress=_report_stage)


@contextmanager
def _watching(progress: Progress, stages: Any) -> Iterator[None]:
    """While the episodes run: show each worker's stages (from ``stages``, a queue
    of ``(pid, message)``) as ``progress.worker("worker N", message)``; cleared after."""
    show_worker: Callable[[str, str | None], None] | None = getattr(progress, "worker", None)
    if stages is None or show_worker is None:
        yield
        return
    names: dict[int, str] = {}

    def follow() -> None:
        while (item := stages.get()) is not None:
            pid, message = item
            show_worker(names.setdefault(pid, f"worker {len(names) + 1}"), message)

    thread = threading.Thread(target=follow, name="toolkit-worker-stages", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stages.put(None)  # after the workers' messages of this run: they were sent before their results
        thread.join(timeout=10)
        for name in names.values():
            show_worker(name, None)


def _context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _pool(jobs: int, stages: Any = None) -> ProcessPoolExecutor:
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init_worker,
                               initargs=(logging.getLogger().getEffectiveLevel(), stages))
    widen_result_pipe(pool)
    return pool


#: Room in the pool's result pipe: an episode's rendered files (≈ 340 kB for 20 cues in 5 languages,
#: megabytes for an hour) come back through it.
RESULT_PIPE_BYTES = 1 << 20


def widen_result_pipe(pool: ProcessPoolExecutor) -> int | None:
    """Give the pipe the workers' results come back through :data:`RESULT_PIPE_BYTES` of room
    (Linux's default is 64 kB): a result larger than the pipe keeps its worker waiting in
    ``write`` until the coordinator, busy writing the site, has read it piece by piece --
    1000 × 5 episodes' files: the episode phase 4.90–5.02 → 4.59–4.79 s on 2 cores.  Returns
    the pipe's size, or None where it cannot be changed (another system, a limit, a Python
    whose executor keeps its queue elsewhere): the pool works the same, only slower."""
    try:
        import fcntl  # POSIX only (F_SETPIPE_SZ is Linux's)
    except ImportError:  # pragma: no cover - the toolkit runs on POSIX
        return None
    setter = getattr(fcntl, "F_SETPIPE_SZ", None)
    reader = getattr(getattr(pool, "_result_queue", None), "_reader", None)  # CPython's executor
    if setter is None or reader is None:
        return None
    try:
        return int(fcntl.fcntl(reader.fileno(), setter, RESULT_PIPE_BYTES))
    except (OSError, ValueError):  # over /proc/sys/fs/pipe-max-size or the user's pipe quota
        return None


def _on(pool: ProcessPoolExecutor) -> site.Parallel:
    """Jobs ``[(function, args), …]`` run on ``pool``, results in order."""
    def run(jobs: Sequence[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
        futures = [pool.submit(fn, *args) for fn, args in jobs]
        return [fut.result() for fut in futures]
    return run


def _on_pool(show: Show, episodes: Sequence[Episode], targets: Sequence[str], memory: TranslationMemory | None,
             pool: ProcessPoolExecutor, jobs: int, fail_fast: bool, progress: Progress) -> CatalogueRun:
    progress(f"publishing {len(episodes)} episode(s) on {jobs} worker processes")
    futures = _in_order(episodes, jobs, lambda episode: pool.submit(_pool_task, show, episode, tuple(targets)),
                        fail_fast=fail_fast)
    return _collect(show, episodes, futures, memory, fail_fast, progress,
                    CatalogueRun(workers=f"{jobs} local worker processes"))


# ------------------------------------------------------------------ Dask

def _sees_show(config_path: str, digest: str) -> str | None:
    """On a Dask worker: None when it reads ``config_path`` with these bytes, else what it sees."""
    try:
        data = Path(config_path).read_bytes()
    except OSError as exc:
        return f"cannot read {config_path} ({exc.strerror or exc})"
    if hashlib.sha256(data).hexdigest() != digest:
        return f"{config_path} has other bytes there"
    return None


@contextmanager
def _client(address: str) -> Iterator[Any]:
    try:
        import distributed  # optional: the `cluster` extra, only for --scheduler
    except ImportError:
        raise ToolMissingError("publishing on a Dask cluster needs the distributed package",
                               hint="pip install 'toolkit[cluster]'") from None
    try:
        factory: Any = distributed.Client  # (distributed is untyped)
        client = factory(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ToolkitError(f"cannot reach the Dask scheduler at {address} ({exc})",
                           hint="start one with `dask scheduler`; see the README, Scaling out") from None
    try:
        yield client
    finally:
        client.close()


def _on_dask(show: Show, episodes: Sequence[Episode], targets: Sequence[str], memory: TranslationMemory | None,
             address: str, fail_fast: bool, progress: Progress) -> CatalogueRun:
    assert show.config_path is not None  # a loaded show always has its show.toml
    digest = hashlib.sha256(show.config_path.read_bytes()).hexdigest()
    with _client(address) as client:
        seen: dict[str, str | None] = client.run(_sees_show, str(show.config_path), digest)
        if not seen:
            raise ToolkitError(f"the Dask scheduler at {address} has no workers",
                               hint="start some with `dask worker " + address + "`")
        blind = sorted((worker, problem) for worker, problem in seen.items() if problem)
        if blind:
            worker, problem = blind[0]
            raise ToolkitError(f"{len(blind)} of {len(seen)} Dask worker(s) do not see the show folder: "
                               f"{worker}: {problem}", path=show.root,
                               hint="workers read the show through a shared file system at the same path")
        progress(f"publishing {len(episodes)} episode(s) on {len(seen)} Dask worker(s) at {address}")
        run_id = f"{os.getpid()}-{id(episodes)}"
        topic = f"toolkit-stages-{run_id}" if hasattr(progress, "worker") else None
        with _dask_stages(client, progress, topic):
            futures = _in_order(episodes, len(seen), lambda episode: client.submit(
                _dask_task, show, episode, tuple(targets), topic, pure=False, retries=2,
                key=f"toolkit-publish-{episode.slug}-{run_id}"), fail_fast=fail_fast)
            return _collect(show, episodes, futures, memory, fail_fast, progress,
                            CatalogueRun(workers=f"{len(seen)} Dask workers at {address}"))


def _dask_task(show: Show, episode: Episode, targets: Sequence[str], topic: str | None) -> pipeline.EpisodeOutcome:
    """One episode on a Dask worker, its stages sent as events on ``topic`` (when given)."""
    if topic is None:
        return pipeline.compute_episode(show, episode, targets)
    import distributed  # on a Dask worker only (the optional `cluster` extra)

    worker = distributed.get_worker()
    name = str(worker.address)  # the worker as `dask worker` and the dashboard name it: host:port

    def report(message: str) -> None:
        worker.log_event(topic, {"worker": name, "stage": message})

    return pipeline.compute_episode(show, episode, targets, progress=report)


@contextmanager
def _dask_stages(client: Any, progress: Progress, topic: str | None) -> Iterator[None]:
    """While the episodes run on Dask: the workers' stage events (``topic``) shown as
    ``progress.worker("worker <name>", stage)``; cleared after."""
    show_worker: Callable[[str, str | None], None] | None = getattr(progress, "worker", None)
    if topic is None or show_worker is None:
        yield
        return
    names: set[str] = set()

    def on_event(event: tuple[float, Any]) -> None:
        msg = event[1]
        if isinstance(msg, dict) and isinstance(msg.get("worker"), str) and isinstance(msg.get("stage"), str):
            name = f"worker {msg['worker']}"
            names.add(name)
            show_worker(name, msg["stage"])

    client.subscribe_topic(topic, on_event)
    try:
        yield
    finally:
        client.unsubscribe_topic(topic)
        for name in sorted(names):
            show_worker(name, None)
