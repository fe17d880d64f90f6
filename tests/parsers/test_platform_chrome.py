"""The platform's consent banner and cookie manager are chrome by their ids, whatever
their size or place (../shared/platform.md): 2026 `#js-consent-banner`, 2023
`#js-cookie-consent-banner` and `#js-functional-cookie-manager`."""

from __future__ import annotations

import pytest

from parsers import parse_response

URL = "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/may-2024/x/"
# Text no chrome sentence list knows: only the id can remove it.
MANAGER_TEXT = "Keeps your visit on one web server while you browse the pages of this site. " * 30
RESPONSE = """<h1>Drones</h1><p>Freedom of information request reference no: 01.FOI.24.012345</p>
<p>1. How many drones does the MPS own?</p><p>The MPS owns 40 drones.</p>"""


@pytest.mark.parametrize(
    "chrome",
    [
        f'<div id="js-consent-banner"><p>{MANAGER_TEXT}</p>'
        '<a id="js-cookie-accept-button" href="#">Accept</a></div>',
        f'<div id="js-cookie-consent-banner"><p>{MANAGER_TEXT}</p>'
        '<a id="cookie-close-button" href="#">Close this message</a></div>',
        f'<div id="js-functional-cookie-manager"><table><tr><td>{MANAGER_TEXT}</td></tr></table></div>',
        '<a id="js-cookie-dismiss-button" href="#">Hide this message</a>'
        '<a id="js-cookie-reject-button" href="#">Reject additional cookies now</a>',
    ],
)
def test_platform_consent_markup_is_chrome_even_inside_main(chrome):
    page = f"<html><body><main>{chrome}{RESPONSE}</main></body></html>"
    record = parse_response(page.encode(), URL)
    assert record.reference == "01.FOI.24.012345"
    assert "web server" not in record.body_text
    assert "Hide this message" not in record.body_text
    assert "Close this message" not in record.body_text
    assert "drones" in record.body_text
