"""Comments in any language's text, found from their markers without a tokenizer: shared by
the hooks that read what comments say (check-agent-leftovers, check-hidden-instructions)."""
from __future__ import annotations


def comment_spans(text: str, markers: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each comment, found from its markers: a marker counts when the line
    before it has an even number of each quote (not inside a one-line string) and, for `#`,
    starts the line or follows a space. One `find` per marker: large files stay cheap."""
    spans: list[tuple[int, int]] = []
    for marker in markers:
        pos = text.find(marker)
        while pos >= 0:
            line_start = text.rfind("\n", 0, pos) + 1
            prefix = text[line_start:pos]
            end = -1
            if (
                prefix.count('"') % 2 == 0 and prefix.count("'") % 2 == 0 and prefix.count("`") % 2 == 0
                and (marker != "#" or not prefix or prefix[-1] in " \t")
                and (marker != "//" or not prefix.endswith(":"))
            ):
                if marker == "/*":
                    end = text.find("*/", pos + 2)
                    end = len(text) if end < 0 else end + 2
                else:
                    end = text.find("\n", pos)
                    end = len(text) if end < 0 else end
                spans.append((pos, end))
            pos = text.find(marker, max(end, pos + len(marker)))
    return sorted(spans)
