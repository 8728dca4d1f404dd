from __future__ import annotations

from hooks.check_agent_leftovers import main

if __name__ == "__main__":
    raise SystemExit(main())
