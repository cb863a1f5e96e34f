"""reviewdocs: Care Act 2014 review records and letters from review findings."""

__version__ = "0.1.0"
