"""Widgets of the tutor app, one job each."""
