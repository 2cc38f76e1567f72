"""Screens of the tutor app: the course map, a lesson, help and small dialogs."""
