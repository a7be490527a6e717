"""The check that fails a test on Home Assistant's deprecation reports, checked itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytest_plugins = ["pytester"]

INNER_TESTS = """
import logging

import pytest

FRAME = logging.getLogger("homeassistant.helpers.frame")
OURS = "Detected that custom integration 'classcharts_hass' calls a deprecated function"


@pytest.fixture
def report_in_setup():
    FRAME.warning(OURS)


@pytest.fixture
def report_in_teardown():
    yield
    FRAME.warning(OURS)


def test_report_in_setup(report_in_setup):
    pass


def test_report_in_call():
    FRAME.warning(OURS)


def test_report_in_teardown(report_in_teardown):
    pass


def test_deprecation_logged_by_the_integration():
    logging.getLogger("custom_components.classcharts_hass").warning("x is deprecated")


def test_report_about_another_integration():
    FRAME.warning("Detected that custom integration 'other' calls a deprecated function")


def test_clean():
    FRAME.warning("something else")
"""


def test_reports_fail_the_test_in_every_phase(pytester: pytest.Pytester) -> None:
    """A report in set-up, call or teardown fails that test; others pass."""
    pytester.makepyfile(test_inner=INNER_TESTS)
    # Only the check itself: none of the plugins installed in this environment.
    pytester._monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    pytester._monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    result = pytester.runpytest_subprocess(
        "-p", "tests.plugins.deprecation_reports", "-p", "no:cacheprovider", "-rA"
    )
    result.assert_outcomes(passed=6, errors=4)
    for failing in (
        "report_in_setup",
        "report_in_call",
        "report_in_teardown",
        "deprecation_logged_by_the_integration",
    ):
        result.stdout.re_match_lines([rf"ERROR test_inner.py::test_{failing}\b.*"])
    result.stdout.fnmatch_lines(["*Home Assistant reported deprecated use*"])
    assert "ERROR test_inner.py::test_clean" not in result.stdout.str()
    assert "ERROR test_inner.py::test_report_about_another" not in result.stdout.str()
