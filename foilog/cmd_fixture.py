"""`foilog` commands: fixture (to be filled in by its owner)."""
COMMANDS: list = []
