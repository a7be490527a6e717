"""Tests for the ClassCharts integration."""
