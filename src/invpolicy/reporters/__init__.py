"""Output formats: ``--format table|json|csv|markdown|html``.

Each format is a small :class:`Reporter` class; ``REPORTER_BY_NAME`` maps the
value of ``--format`` to it. The modules import their libraries (rich, csv,
tabulate, jinja2) inside the methods that use them, so that listing the
formats at start-up costs nothing.

Text from invitations and policies is untrusted: every format shows it as
plain text (never as terminal markup, never as live HTML, never as a
spreadsheet formula).
"""

from __future__ import annotations

from invpolicy.engine.explain import explanation_lines
from invpolicy.reporters.base import DECISION_STYLES, ListingReporter, Reporter
from invpolicy.reporters.files import CsvReporter, HtmlReporter, MarkdownReporter
from invpolicy.reporters.jsonfile import JsonReporter
from invpolicy.reporters.tables import TableReporter

REPORTER_BY_NAME: dict[str, type[Reporter]] = {
    reporter.name: reporter
    for reporter in (TableReporter, JsonReporter, CsvReporter, MarkdownReporter, HtmlReporter)
}
#: The formats that can also list policies and plugins.
LISTING_BY_NAME: dict[str, type[ListingReporter]] = {
    reporter.name: reporter for reporter in (TableReporter, JsonReporter)
}

__all__ = [
    "DECISION_STYLES",
    "LISTING_BY_NAME",
    "REPORTER_BY_NAME",
    "ListingReporter",
    "Reporter",
    "explanation_lines",
]
