"""What record-provenance, check-provenance and `driftgate provenance report` share: the
trailers of a provenance record, how an agent run is detected, how commits are read from
git and judged. Not a hook itself, so the hooks can share it without importing each other."""
