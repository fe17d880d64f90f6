"""`foilog` commands: serve (to be filled in by its owner)."""
COMMANDS: list = []
