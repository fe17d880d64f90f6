"""`foilog` commands: parse (to be filled in by its owner)."""
COMMANDS: list = []
