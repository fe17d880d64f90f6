"""robots.txt rule precedence as RFC 9309 states it (the mirror's own robots.txt
lists `Allow: /foi-ai/` before its private-area Disallow)."""

import pytest

from scraper.politeness import RobotsPolicy

ROBOTS = """User-agent: *
Allow: /foi-ai/
Disallow: /foi-ai/metropolitan-police/private/
Disallow: /search/

User-agent: foilog
Disallow: /foi-ai/af/
Allow: /foi-ai/af/accessing-information/
"""


@pytest.mark.parametrize(
    "agent,path,allowed",
    [
        ("other", "/foi-ai/metropolitan-police/private/secret/", False),  # longer Disallow wins
        ("other", "/foi-ai/metropolitan-police/d/may-2022/x/", True),
        ("other", "/search/?q=taser", False),
        ("other", "/news/", True),  # no rule matches
        ("foilog/0.1", "/foi-ai/af/accessing-information/published-items/", True),  # longer Allow
        ("foilog/0.1", "/foi-ai/af/other/", False),
        ("foilog/0.1", "/search/", True),  # its own group replaces the * group
    ],
)
def test_longest_matching_rule_wins(agent, path, allowed):
    policy = RobotsPolicy(agent, 200, ROBOTS)
    assert policy.allows("https://www.met.police.uk" + path) is allowed


def test_a_tie_goes_to_allow():
    policy = RobotsPolicy("a", 200, "User-agent: *\nDisallow: /x/\nAllow: /x/\n")
    assert policy.allows("https://h/x/page")
