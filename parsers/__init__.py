"""Pure parsers: an HTML string (or bytes) in, records out. No network, files or database.

`parse_response(html, url)` is the contract the rest of foilog relies on;
`parse_listing`, `parse_sitemap` and `sitemap_children` feed the crawler.
"""

from parsers.listing import parse_listing, parse_sitemap, sitemap_children  # noqa: F401
from parsers.record import (  # noqa: F401
    PARSER_VERSION,
    Attachment,
    Exemption,
    Link,
    ListingItem,
    ListingPage,
    Question,
    Response,
)
from parsers.response import parse_response  # noqa: F401
