"""In-portal help: the user guides of docs/ rendered as pages of the portal (/help/…), so that a
page says "see Selecting CAP beneficiaries" with a link, never a repository path.

The guides are the project's own Markdown files (trusted content), rendered with markdown-it-py
(CommonMark with tables); links between guides ("workplans.md#…") become help links. Only the
guides listed in :data:`HELP_PAGES` are served: the developer and operator documents stay in the
repository.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

# slug → file under docs/: the guides written for the portal's users.
HELP_PAGES = {
    "selection": "selection.md",
    "workplans": "workplans.md",
    "budgets": "budgets.md",
    "reports": "reports.md",
    "donor-statements": "donor-statements.md",
    "iati": "iati.md",
    "notifications": "notifications.md",
    "people": "people.md",
}

_LINK = re.compile(r'href="(?:\./)?(?:docs/)?([a-z0-9-]+)\.md(#[^"]*)?"')


def _help_link(match: re.Match) -> str:
    slug, anchor = match.group(1), match.group(2) or ""
    if slug in HELP_PAGES:
        return f'href="{reverse("help_page", kwargs={"slug": slug})}{anchor}"'
    return match.group(0)


@lru_cache(maxsize=32)
def render_guide(slug: str) -> tuple[str, str]:
    """(title, HTML) of a guide: the first heading is the title."""
    text = (settings.BASE_DIR / "docs" / HELP_PAGES[slug]).read_text(encoding="utf-8")
    heading = re.search(r"^#\s+(.+)$", text, flags=re.MULTILINE)
    title = heading.group(1).strip() if heading else slug
    if heading:
        text = text[: heading.start()] + text[heading.end() :]
    html = MarkdownIt("commonmark").enable("table").render(text)
    html = html.replace("<table>", '<table class="table table-sm">')
    return title, _LINK.sub(_help_link, html)


@login_required
def help_index(request):
    guides = [(slug, render_guide(slug)[0]) for slug in HELP_PAGES]
    return render(request, "help/index.html", {"guides": guides})


@login_required
def help_page(request, slug: str):
    if slug not in HELP_PAGES:
        raise Http404
    title, html = render_guide(slug)
    return render(request, "help/page.html", {"title": title, "body": mark_safe(html), "slug": slug})  # noqa: S308
