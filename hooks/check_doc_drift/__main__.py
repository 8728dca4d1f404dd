from __future__ import annotations

from hooks.check_doc_drift import main

if __name__ == "__main__":
    raise SystemExit(main())
