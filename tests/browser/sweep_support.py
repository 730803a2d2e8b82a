"""What the browser sweep (tests/browser/test_sweep.py) visits and how it judges a page.

The pages are the permission matrix's (tests/security/matrix*.py): every UI URL a role may read,
its object made by the matrix's own ``obj(world, "own")`` on top of the sample portfolio. The
checks are plain functions over a Playwright page, each returning findings as strings.
"""

import ast
import re
from functools import cache
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models

from parties.models import Donor, Party
from sampledata.demo import DEMO_USERS
from tests.security.matrix import MATRIX
from tests.security.test_permission_matrix import build_url

AXE_STATIC = "vendor/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_IMPACTS = {"serious", "critical"}
LANGUAGES = ["en", "fr", "es"]
WIDTHS = [1366, 390]

# Not pages of the portal's own templates: the API's documents (JSON and drf-spectacular's
# Swagger UI), the health check, and sign-out (a GET would show the confirmation, but the
# matrix's signs_out rows are probed by tests/security).
NOT_SWEPT = {"schema", "swagger-ui", "healthz"}
# The apps whose rows are the portfolio's data (see data_texts).
PORTFOLIO_APPS = {"parties", "cases", "workplans", "budgets", "reports", "decisions", "statements", "iati"}


class SampleWorld:
    """The matrix's ``World`` over the sample portfolio: the demo users' Party (Togo) is "own",
    Nigeria "other"; the demo donor observer's donor (EU) and another donor; the demo users by role.
    """

    def __init__(self):
        self.own = Party.objects.get(code="TG")
        self.other = Party.objects.get(code="NG")
        self.donor = Donor.objects.get(short_name="EU")
        self.other_donor = Donor.objects.exclude(pk=self.donor.pk).order_by("name").first()
        users = get_user_model().objects
        self.users = {"anonymous": None}
        for username, _first, _last, role, _code in DEMO_USERS:
            self.users[str(role.value)] = users.get(username=username)

    def party(self, which: str) -> Party:
        return {"own": self.own, "other": self.other}[which]


def usernames() -> dict[str, str]:
    return {str(role.value): username for username, _f, _l, role, _c in DEMO_USERS}


def swept_names(role: str) -> list[str]:
    """The matrix's UI URL names that ``role`` may read (anonymous: the public pages)."""
    names = []
    for name, endpoint in MATRIX.items():
        if name.startswith("api:") or name in NOT_SWEPT or endpoint.read is None or endpoint.signs_out:
            continue
        if role == "anonymous":
            if endpoint.public:
                names.append(name)
        elif endpoint.read[role] in ("A", "O", "D"):
            names.append(name)
    return names


def page_urls(role: str, world: SampleWorld) -> list[tuple[str, str]]:
    """(URL name, URL) of every page the role may read, objects made once per kind."""
    made: dict = {}
    urls = []
    for name in swept_names(role):
        endpoint = MATRIX[name]
        obj = None
        if endpoint.obj:
            if endpoint.obj not in made:
                made[endpoint.obj] = endpoint.obj(world, "own")
            obj = made[endpoint.obj]
        urls.append((name, build_url(name, endpoint, obj)))
    return urls


# --- untranslated strings ---------------------------------------------------------------------


def _unquote(line: str) -> str:
    """The string of a catalogue line (``msgid "..."`` or a continuation ``"..."``)."""
    return ast.literal_eval(line[line.index('"') :])


def parse_po(path: Path) -> list[dict]:
    """Entries of a gettext catalogue: msgid, msgid_plural, msgstr[n] (a tiny parser; polib is not
    a dependency). Fuzzy entries are kept out: Django does not use them."""
    entries, entry, key, fuzzy = [], {}, None, False
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry and not fuzzy:
                entries.append(entry)
            entry, key, fuzzy = {}, None, False
            continue
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        if line.startswith("#"):
            continue
        if line.startswith('"') and key:
            entry[key] += _unquote(line)
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s", line)
        if match:
            key = match.group(1)
            entry[key] = _unquote(line)
    return entries


@cache
def translated_msgids(language: str) -> frozenset[str]:
    """The catalogue's source strings of more than one word whose translation differs: seen as
    such on a page in ``language``, they were not translated."""
    path = Path(settings.BASE_DIR) / "locale" / language / "LC_MESSAGES" / "django.po"
    found = set()
    for entry in parse_po(path):
        translations = [v for k, v in entry.items() if k.startswith("msgstr") and v]
        for source in (entry.get("msgid", ""), entry.get("msgid_plural", "")):
            text = " ".join(source.split())
            if len(text.split()) < 2 or not translations:
                continue
            if all(" ".join(t.split()) != text for t in translations):
                found.add(text)
    return frozenset(found)


def data_texts() -> frozenset[str]:
    """Every text value stored in the portfolio's own tables (names, titles, descriptions): shown
    on a page as it was typed — the sample portfolio's in English, from the CITES documents — it
    may equal a catalogue string by coincidence ("Technical missions" is a budget line's
    description and a category's label), and is no untranslated interface text. Choice columns
    are not data: their labels come from the catalogue and are checked."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in PORTFOLIO_APPS:
            continue
        columns = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and not f.choices
        ]
        for column in columns:
            values = model._base_manager.exclude(**{column: ""}).values_list(column, flat=True)
            found.update(" ".join(str(value).split()) for value in values.distinct() if value)
    return frozenset(found)


# --- checks on a loaded page ------------------------------------------------------------------

VISIBLE_TEXTS_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    const parent = node.parentElement;
    if (!text || !parent || parent.closest("script, style, template, noscript")) continue;
    // Text marked as written in another language (a guide or a report in English) is not the UI's.
    if (parent.closest("[lang]").lang !== document.documentElement.lang) continue;
    if (!parent.getClientRects().length) continue;
    const style = getComputedStyle(parent);
    if (style.visibility === "hidden" || style.display === "none") continue;
    out.push(text);
  }
  return out;
}"""

OVERFLOW_JS = """() => {
  const root = document.documentElement;
  if (root.scrollWidth <= root.clientWidth + 1) return null;
  // The outermost elements that stick out (those inside a scrolling box do not move the page).
  const wide = [];
  const clipped = (el) => {
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== "visible") return true;
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right > root.clientWidth + 1 && box.width > 0 && !clipped(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + (el.classList.length ? "." + [...el.classList].join(".") : "");
      wide.push(name);
      if (wide.length >= 3) break;
    }
  }
  return {scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, widest: wide};
}"""

AXE_RUN_JS = """async (tags) => {
  const options = {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]};
  const results = await axe.run(document, options);
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
  }));
}"""


# Each check returns (problem, detail) pairs: the problem groups the pages in the test's report.


def overflow(page) -> list[tuple[str, str]]:
    found = page.evaluate(OVERFLOW_JS)
    if not found:
        return []
    detail = f"scrollWidth {found['scrollWidth']} > {found['clientWidth']}: {', '.join(found['widest'])}"
    return [("horizontal overflow", detail)]


def accessibility(page) -> list[tuple[str, str]]:
    # From the portal's own static files: an inline copy would break its Content-Security-Policy.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=page.base_url + settings.STATIC_URL + AXE_STATIC)
    violations = page.evaluate(AXE_RUN_JS, AXE_TAGS)
    return [
        (f"axe {v['impact']} {v['id']}: {v['help']}", "; ".join(v["nodes"]))
        for v in violations
        if v["impact"] in AXE_IMPACTS
    ]


def untranslated(page, language: str, data: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """Visible texts of a French or Spanish page that are catalogue strings left in English,
    other than the portfolio's own data (``data``, from :func:`data_texts`)."""
    if language == "en":
        return []
    sources = translated_msgids(language)
    seen = sorted({text for text in page.evaluate(VISIBLE_TEXTS_JS) if text in sources and text not in data})
    return [(f"untranslated: {text!r}", "") for text in seen]
