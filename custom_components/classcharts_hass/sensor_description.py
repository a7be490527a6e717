"""The description of a ClassCharts sensor, shared by the sensor modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from homeassistant.components.sensor import SensorEntityDescription
from homeassistant.helpers.typing import StateType

from .client import Features
from .school.datasets import Dataset
from .school.snapshot import PupilData

type ValueFn = Callable[[PupilData, datetime], StateType | date | datetime]
type AttributesFn = Callable[[PupilData, datetime], dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ClassChartsSensorEntityDescription(SensorEntityDescription):
    """A ClassCharts sensor: how to read its value from a pupil's data."""

    value_fn: ValueFn
    attributes_fn: AttributesFn | None = None
    # What it reads: the display_* flags and availability follow from these.
    datasets: tuple[Dataset, ...]
    # A further display_* flag when one dataset serves several (attendance).
    shown_fn: Callable[[Features], bool] = lambda _: True
    # Whether the days it shows were read (unavailable if not; not "unknown").
    known_fn: Callable[[PupilData, datetime], bool] = lambda _data, _now: True
