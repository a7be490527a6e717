"""The middle layer: what the integration knows about a school, without Home Assistant.

Between the ClassCharts client (``client/``) and the Home Assistant modules
beside this package: the table of datasets with their fetches, the polling
schedule, one poll and the last good values, the timetable day cache, the
snapshot entities read, and what is new (events). Nothing here imports Home
Assistant (``tests/test_layers.py`` checks it).
"""
