"""What the dependency hooks (check-hallucinated-deps, check-undeclared-imports) share:
the package-index client, the manifest readers and the import-name map."""
