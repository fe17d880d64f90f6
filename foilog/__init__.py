"""foilog: an open, searchable archive of the MPS Freedom of Information disclosure log."""

__version__ = "0.1.0"
