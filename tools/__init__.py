"""Helpers behind the staff tasks in tasks.py: scaffolding and translation reports."""
