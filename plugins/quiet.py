"""A quiet serve terminal: one line per client error, tracebacks only for server errors.

Datasette's default exception handler prints a rich traceback with every local variable
for every exception, a 404 included (~200 lines each). It keeps rendering the error
pages; we turn its rich printing off and log client errors (4xx) as one line here. Real
server errors still get Datasette's plain `traceback.print_exc()`.
"""

from __future__ import annotations

import datasette.handle_exception as default_handler
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError

from plugins.common import log_line

default_handler.rich = None


def handle_exception(datasette, request, exception):
    status = None
    if isinstance(exception, Base400):
        status = exception.status
    elif isinstance(exception, DatasetteError):
        status = exception.status
    if status is not None and status < 500:
        message = exception.args[0] if exception.args else type(exception).__name__
        log_line(status, request, str(message))
    return None  # Datasette's own handler renders the page (our 404.html)
