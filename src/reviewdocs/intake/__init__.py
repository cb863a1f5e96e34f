"""Stage 1, intake: a review as it arrives (JSON, a PDF form, a batch source) to a
validated, complete dict. Nothing here knows about decisions or documents.

- ``read``: ``read_input``, ``load_review``, ``load_review_with_hash``, ``parse_json``
- ``schemas``: ``validate_review`` (marshmallow, every problem at once), ``json_schema``,
  ``input_paths``; field types in ``fields``, cross-field rules in ``crossfield``, the
  compiled short path in ``fastload``, the JSON Schema walker in ``jsonschema``
- ``sources``: batch sources (a folder, JSON Lines, CSV) read one record at a time
- ``form``: the fillable PDF form, drawn and read from one layout
"""

from reviewdocs.intake.read import load_review, load_review_with_hash, parse_json, read_input
from reviewdocs.intake.schemas import input_paths, json_schema, validate_review

__all__ = [
    "input_paths",
    "json_schema",
    "load_review",
    "load_review_with_hash",
    "parse_json",
    "read_input",
    "validate_review",
]
