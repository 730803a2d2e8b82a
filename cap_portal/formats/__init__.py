"""The portal's date and number formats, one module per language (settings.FORMAT_MODULE_PATH).

Dates are written as the United Nations write them, on every page, e-mail, export and chart:
"15 December 2024", "15 décembre 2024", "15 de diciembre de 2024" — the short formats too, so
that a table and a sentence agree. Numbers group thousands with a comma (en), a no-break space
(fr) or a period (es), as CITES documents do. Forms take dates from a date picker (ISO), and the
ISO form is accepted first when a date is typed.
"""
