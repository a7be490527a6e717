"""One poll's fetches: every due dataset of every pupil at once, each failing alone.

The poll as a whole fails (and the coordinator logs it once) when the login
fails (refused credentials, ClassCharts down, its login answer unusable), or
when every call failed because ClassCharts could not be reached or asked us to
wait. Any other failure of a dataset, an unusable answer or a bug in reading
it included, keeps that dataset's last value for its row's time, is logged
once per run of failures, and the rest counts: even when it was the only call
of the poll.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from ..client import (
    ClassChartsAuthenticationError,
    ClassChartsClient,
    ClassChartsConnectionError,
    ClassChartsError,
    ClassChartsRateLimitError,
    ClassChartsSessionError,
)
from .announced import AnnouncedItems
from .dataset_spec import Sources
from .datasets import DATASETS, Dataset, wanted_datasets
from .fetches import Call
from .last_values import PupilLastValues
from .log import LOGGER
from .poll_schedule import Mode, due_datasets
from .snapshot import EventKind

# How long a server asked us to wait, and which datasets of which pupil worked.
type Fetched = tuple[timedelta, dict[int, set[Dataset]]]


async def fetch_due(
    client: ClassChartsClient,
    announced: AnnouncedItems,
    states: list[PupilLastValues],
    mode: Mode,
    now: datetime,
) -> Fetched:
    """Fetch what is due in this poll and remember each result."""
    jobs: list[tuple[PupilLastValues, Dataset, bool]] = []
    for state in states:
        wanted = wanted_datasets(state.pupil, client.account_type)
        due = due_datasets(wanted, mode, now, state.fetched())
        # A timetable day that failed or was doubted is read again at once.
        pending = Dataset.TIMETABLE in wanted and state.timetable.pending(now.date())
        again = {Dataset.TIMETABLE} - due if pending else set()
        jobs.extend((state, dataset, dataset in due) for dataset in due | again)
    if jobs:
        await client.ensure_session()  # a failed login fails the poll, here
    results = await asyncio.gather(
        *(
            _fetch(client, announced, state, dataset, now, scheduled=scheduled)
            for state, dataset, scheduled in jobs
        ),
        return_exceptions=True,
    )
    failed = [r for r in results if isinstance(r, BaseException)]
    for error in failed:
        if isinstance(error, ClassChartsAuthenticationError):
            raise error
        if not isinstance(error, Exception):
            raise error  # cancellation and the like are not ours to keep
    client_errors = [e for e in failed if isinstance(e, ClassChartsError)]
    unreachable = [e for e in client_errors if _is_outage(e)]
    if unreachable and len(unreachable) == len(jobs):
        raise unreachable[0]  # an outage: the coordinator logs it once
    fresh: dict[int, set[Dataset]] = {}
    for (state, dataset, _), result in zip(jobs, results, strict=True):
        if isinstance(result, BaseException):
            _failed(state, dataset, result, now)
        else:
            fresh.setdefault(state.pupil.id, set()).add(dataset)
    wait = max((retry_after(e) for e in client_errors), default=timedelta(0))
    return wait, fresh


async def _fetch(
    client: ClassChartsClient,
    announced: AnnouncedItems,
    state: PupilLastValues,
    dataset: Dataset,
    now: datetime,
    *,
    scheduled: bool,
) -> None:
    """Fetch one dataset of one pupil and remember it."""
    spec = DATASETS[dataset]
    pupil_id = state.pupil.id
    last = state.datasets[dataset].fetched_at if dataset in state.datasets else None
    # All a row may pick its inputs from; only what it picks reaches its fetch.
    sources = Sources(
        Call(client, pupil_id, now),
        state.timetable,
        state.values(),
        last,
        scheduled,
        lambda: announced.newest_time(pupil_id, EventKind.BEHAVIOUR),
    )
    changes_before = state.changes_so_far(dataset)
    value: object = await spec.read(sources)
    if state.succeeded(dataset, value, now, changes_before):
        LOGGER.info("ClassCharts %s of pupil %s works again", dataset, state.pupil.id)


def _failed(
    state: PupilLastValues, dataset: Dataset, error: BaseException, now: datetime
) -> None:
    """Remember a dataset's failure; log the first of a run only."""
    if not state.failed(dataset, error, now):
        return
    pupil_id = state.pupil.id
    if isinstance(error, ClassChartsError):
        LOGGER.warning(
            "ClassCharts %s of pupil %s failed; keeping the last data for %s: %s",
            dataset,
            pupil_id,
            DATASETS[dataset].keep_last_value,
            error,
        )
    else:  # a bug or an answer nobody foresaw: one traceback, not one a poll
        LOGGER.warning(
            "Reading ClassCharts %s of pupil %s failed; keeping the last data",
            dataset,
            pupil_id,
            exc_info=error,
        )


def _is_outage(err: ClassChartsError) -> bool:
    """Whether the error says ClassCharts is out of reach, not one answer bad."""
    return isinstance(
        err,
        ClassChartsAuthenticationError
        | ClassChartsConnectionError
        | ClassChartsRateLimitError
        | ClassChartsSessionError,
    )


def retry_after(err: ClassChartsError) -> timedelta:
    """How long a rate-limited server asked us to wait (the client caps it)."""
    if isinstance(err, ClassChartsRateLimitError) and err.retry_after:
        return timedelta(seconds=err.retry_after)
    return timedelta(0)
