from __future__ import annotations

from hooks.check_env_vars import main

if __name__ == "__main__":
    raise SystemExit(main())
