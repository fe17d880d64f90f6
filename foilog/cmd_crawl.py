"""`foilog` commands: crawl (to be filled in by its owner)."""
COMMANDS: list = []
