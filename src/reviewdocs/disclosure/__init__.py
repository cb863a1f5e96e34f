"""Stage 4, disclosure: what is issued, to whom, in which version, and what is withheld.

- ``production``: ``produce`` writes one review's documents and registers them
- ``register``: ``Register`` (SQLite: every file, refusal and amendment)
- ``sharing``: ``plan_sharing`` and ``share`` (copies for others under 003's rules)
- ``redaction``: ``redact`` removes withheld data before anything is rendered
- ``versions``: ``load_amendment``, ``current_record`` (version N of the record)
- ``amendments``: ``amend`` decides a request and makes version N+1
"""

from reviewdocs.disclosure.amendments import amend
from reviewdocs.disclosure.production import produce
from reviewdocs.disclosure.redaction import redact
from reviewdocs.disclosure.register import Register
from reviewdocs.disclosure.sharing import plan_sharing, share
from reviewdocs.disclosure.versions import current_record, load_amendment

__all__ = [
    "Register",
    "amend",
    "current_record",
    "load_amendment",
    "plan_sharing",
    "produce",
    "redact",
    "share",
]
