"""What the environment-variable hooks share (check-env-vars, check-doc-drift): the reads
the code makes (Python: os.environ, os.getenv, django-environ, environs, decouple,
pydantic-settings fields; JS/TS: process.env, import.meta.env) and the platform allowlist.
Nothing here is imported until a hook runs."""
