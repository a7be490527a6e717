"""The benchmark (run by scripts/bench; not part of the test run)."""
