"""Fail a test when Home Assistant reports deprecated use by this integration.

Home Assistant does not raise for deprecated calls; it logs "Detected that custom
integration 'classcharts_hass' ..." (``homeassistant.helpers.frame``) and the call stops
working some releases later. A handler on the root logger sees every record from
the start of a test's set-up to the end of its teardown (pytest's ``caplog``
keeps one phase at a time, so a check inside a fixture misses the others), and
the teardown report turns into a failure when anything was seen.
"""

from __future__ import annotations

from collections.abc import Generator
import logging

import pytest

INTEGRATION = "classcharts_hass"


def is_deprecation_report(record: logging.LogRecord) -> bool:
    """Whether ``record`` reports deprecated use by this integration."""
    message = record.getMessage()
    if f"integration '{INTEGRATION}'" in message and "Detected that" in message:
        return True
    return "deprecat" in message.lower() and INTEGRATION in record.name


class DeprecationReports(logging.Handler):
    """Collects the deprecation reports logged while one test runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if is_deprecation_report(record):
            self.reports.append(f"{record.name}: {record.getMessage()}")


REPORTS = pytest.StashKey[DeprecationReports]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(
    item: pytest.Item, nextitem: pytest.Item | None
) -> Generator[None, object, object]:
    """Listen from the start of set-up to the end of teardown."""
    handler = item.stash[REPORTS] = DeprecationReports()
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        return (yield)
    finally:
        root.removeHandler(handler)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Fail the teardown of a test that logged a deprecation report."""
    report = yield
    handler = item.stash.get(REPORTS, None)
    if call.when == "teardown" and handler is not None and handler.reports:
        report.outcome = "failed"
        report.longrepr = "Home Assistant reported deprecated use:\n" + "\n".join(
            handler.reports
        )
    return report
