"""Start Home Assistant from the project venv, also on Python 3.13.0/3.13.1.

Development and test tooling only (scripts/develop, the end-to-end test and the
screenshot script); it is never part of the integration.

Home Assistant 2026.2 refuses to start on Python older than 3.13.2, although it
boots and serves its frontend on 3.13.0. This launcher lowers that check and then
runs Home Assistant's normal entry point with the given arguments, e.g.::

    python scripts/hass_launcher.py -c demo-config
"""

from __future__ import annotations

import sys

import homeassistant.__main__ as hass_main

MINIMUM_PYTHON = (3, 13, 0)


def main() -> int:
    """Run ``hass`` with this process's arguments."""
    if sys.version_info[:3] < MINIMUM_PYTHON:
        sys.stderr.write(f"Python {'.'.join(map(str, MINIMUM_PYTHON))}+ required\n")
        return 1
    hass_main.REQUIRED_PYTHON_VER = MINIMUM_PYTHON  # type: ignore[misc]
    sys.argv[0] = "hass"
    return hass_main.main()


if __name__ == "__main__":
    sys.exit(main())
