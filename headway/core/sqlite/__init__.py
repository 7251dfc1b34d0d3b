"""Headway's SQLite database backend: Django's, with writers queued on a lock (see base.py)."""
