"""Two versions of a report compared paragraph by paragraph, from their stored snapshots.

Each snapshot is read as the sequence of its paragraphs (sub-headings, numbered paragraphs and
lettered items, each under its section's heading); difflib aligns the two sequences on the text,
without the paragraph numbers (inserting one paragraph renumbers every later one, which is not a
change of text). Paragraphs replaced by others are paired as "changed" when they are still alike,
with the changed words marked; otherwise they count as removed and added.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
# Below this similarity two paragraphs in the same place are a removal and an addition.
ALIKE = 0.5
_WORDS = re.compile(r"\S+|\s+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a version: its section, its number or letter, and its text."""

    section: str
    label: str
    text: str


@dataclass
class Difference:
    """A paragraph added, removed or changed; ``words`` marks the words of a change as
    ``(op, text)`` pairs, op being "equal", "insert" or "delete"."""

    kind: str
    old: Paragraph | None = None
    new: Paragraph | None = None
    words: list[tuple[str, str]] = field(default_factory=list)

    @property
    def section(self) -> str:
        return (self.new or self.old).section


def paragraphs(snapshot: dict) -> list[Paragraph]:
    """The paragraphs of a snapshot, in the document's order."""
    found = []
    for section in snapshot.get("sections", []):
        title = section.get("title", "")
        for block in section.get("blocks", []):
            kind = block.get("type")
            if kind == "list":
                for item in block.get("items", []):
                    found.append(Paragraph(title, item.get("label", ""), item.get("text", "")))
            elif kind == "heading":
                found.append(Paragraph(title, "", block.get("text", "")))
            elif block.get("text"):
                number = block.get("number")
                found.append(Paragraph(title, f"{number}." if number else "", block["text"]))
    return found


def compare_snapshots(old: dict, new: dict) -> list[Difference]:
    """What changed from ``old`` to ``new``, paragraph by paragraph, in the new document's order."""
    before, after = paragraphs(old), paragraphs(new)
    keys_before = [(p.section, p.text) for p in before]
    keys_after = [(p.section, p.text) for p in after]
    differences: list[Difference] = []
    matcher = difflib.SequenceMatcher(a=keys_before, b=keys_after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        differences.extend(_pair(before[i1:i2], after[j1:j2]))
    return differences


def _pair(removed: list[Paragraph], added: list[Paragraph]) -> list[Difference]:
    """Within a run of replaced paragraphs, pair each removed paragraph with the next added one of
    the same section that is still alike (in order); the others are plain removals and additions."""
    pairs: list[tuple[int, int]] = []
    next_added = 0
    for i, old in enumerate(removed):
        for j in range(next_added, len(added)):
            new = added[j]
            if old.section != new.section:
                continue
            matcher = difflib.SequenceMatcher(a=old.text, b=new.text, autojunk=False)
            if matcher.quick_ratio() >= ALIKE and matcher.ratio() >= ALIKE:
                pairs.append((i, j))
                next_added = j + 1
                break
    found: list[Difference] = []
    i = j = 0
    for pair_i, pair_j in [*pairs, (len(removed), len(added))]:
        found.extend(Difference(REMOVED, old=paragraph) for paragraph in removed[i:pair_i])
        found.extend(Difference(ADDED, new=paragraph) for paragraph in added[j:pair_j])
        if pair_i < len(removed):
            old, new = removed[pair_i], added[pair_j]
            found.append(Difference(CHANGED, old, new, words=changed_words(old.text, new.text)))
        i, j = pair_i + 1, pair_j + 1
    return found


def changed_words(old: str, new: str) -> list[tuple[str, str]]:
    """The new text word by word, with the words taken out ("delete") and put in ("insert")."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces
