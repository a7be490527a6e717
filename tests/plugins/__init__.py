"""pytest plugins of the suite, loaded early with ``-p`` (see pyproject.toml)."""
