"""One snapshot format for every tested Home Assistant line.

From 2026.10, Home Assistant's registries and states differ from 2026.2 in form
only: state and capability attribute keys are ``StrEnum`` members (their repr
names the enum), and an entity's ``aliases`` is a list that holds a marker for
"the computed name" (shown as ``None``) instead of a set of strings. This
serializer writes both lines the 2026.2 way, so one set of snapshots pins the
same values on both; anything else that differs still fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from pytest_homeassistant_custom_component.syrupy import (
    HomeAssistantSnapshotExtension,
    HomeAssistantSnapshotSerializer,
)


def _plain_keys(data: Mapping[Any, Any]) -> Any:
    """The same mapping type with ``StrEnum`` keys written as their plain values."""
    if not any(isinstance(key, StrEnum) for key in data):
        return data
    return type(data)(
        {
            str(key) if isinstance(key, StrEnum) else key: value
            for key, value in data.items()
        }
    )


class ClassChartsSnapshotSerializer(HomeAssistantSnapshotSerializer):
    """Home Assistant's serializer, normalised across Home Assistant lines."""

    @classmethod
    def _serialize(cls, data: Any, **kwargs: Any) -> str:
        path = kwargs.get("path", ())
        if path and path[-1][0] == "aliases" and isinstance(data, (list, set)):
            # 2026.10 keeps a non-string "computed name" marker among the aliases.
            data = {alias for alias in data if isinstance(alias, str)}
        elif isinstance(data, Mapping):
            data = _plain_keys(data)
        return super()._serialize(data, **kwargs)


class ClassChartsSnapshotExtension(HomeAssistantSnapshotExtension):
    """Snapshots in the one format of ``ClassChartsSnapshotSerializer``."""

    serializer_class = ClassChartsSnapshotSerializer
