"""Letters that can be posted: checked against GOV.UK Notify's precompiled letter rules,
put into envelopes (one PDF per envelope), packed for a post room, or sent through Notify.

The stage comes after disclosure (it posts what disclosure produced and registered) and
before batch. docs/post.md describes the commands.
"""
