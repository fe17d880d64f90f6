"""Datasette plugin for foilog (filled in below)."""
