from __future__ import annotations

from hooks.check_hidden_instructions import main

if __name__ == "__main__":
    raise SystemExit(main())
