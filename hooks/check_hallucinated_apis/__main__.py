from __future__ import annotations

from hooks.check_hallucinated_apis import main

if __name__ == "__main__":
    raise SystemExit(main())
