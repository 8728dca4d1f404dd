"""What check-test-integrity and verify-tests share: which files are tests, the tests of a
test file as parsed trees (model.py), how two versions of a test compare (compare.py), and
the commits and blobs they read from git (changes.py). Not a hook itself, so both hooks can
share it without importing each other."""
