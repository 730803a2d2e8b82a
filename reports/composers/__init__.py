"""Section composers: the default text and figures of each section of the report, from the data.

The registry, the layout and the shared helpers are in ``base``; one module per part of the
document registers its composers with ``@composer(kind)``: ``front`` (introduction, background,
implementation), ``party`` (one section per beneficiary Party), ``findings`` (overall findings and
conclusions), ``decisions`` (recommendations and draft decisions). Importing this package imports
them all, so every kind has its composer.
"""

from . import decisions, findings, front, party  # noqa: F401  (registration)
from .base import (  # noqa: F401
    COMPOSERS,
    LAYOUT,
    LAYOUT_BY_KIND,
    ComposeContext,
    Composition,
    SectionLayout,
    bullet_list,
    compose,
    composer,
    format_date,
    format_range,
    join_list,
    paragraphs,
)
