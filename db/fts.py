"""What a person types, made into a safe FTS5 query (one rule, used by SQL and Python).

Raw FTS5 syntax makes `s.40(2)` or an unbalanced quote a syntax error; here every word
becomes a quoted term, "double-quoted phrases" stay phrases, OR/NOT stay operators, and
a trailing `*` stays a prefix search.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r'"[^"]*"\*?|\S+')
_OPERATORS = {"OR", "NOT", "AND"}
# An empty phrase matches nothing, rather than being a syntax error.
MATCH_NOTHING = '""'


def fts_query(q: str | None) -> str:
    parts: list[str] = []
    for token in _TOKEN.findall(q or ""):
        if token in _OPERATORS:
            if parts and parts[-1] not in _OPERATORS:
                parts.append(token)
            continue
        prefix = token.endswith("*")
        text = token.rstrip("*").strip('"').replace('"', '""')
        if not text.strip():
            continue
        parts.append(f'"{text}"' + ("*" if prefix else ""))
    while parts and parts[-1] in _OPERATORS:
        parts.pop()
    return " ".join(parts) or MATCH_NOTHING
