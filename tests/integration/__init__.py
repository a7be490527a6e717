"""Tests of the Home Assistant integration against the fake server."""
