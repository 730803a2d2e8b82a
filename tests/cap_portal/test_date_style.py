"""One date style per language, as the UN writes it, on every page, e-mail, export and chart
(issue 14 point 7): the formats live in cap_portal/formats/, and Django's locale formats
("Dec. 15, 2024", "12/15/2024", "15/12/2024") appear nowhere."""

import datetime

import pytest
from django.utils import translation
from django.utils.formats import date_format, number_format

from reports.composers.base import format_date, format_money
from tests.budgets.factories import make_installment

DAY = datetime.date(2024, 12, 15)
EXPECTED = {"en": "15 December 2024", "fr": "15 décembre 2024", "es": "15 de diciembre de 2024"}


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("name", ["DATE_FORMAT", "SHORT_DATE_FORMAT"])
def test_every_date_format_is_the_un_style(language, name):
    with translation.override(language):
        assert date_format(DAY, name) == EXPECTED[language]


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_date_times_start_with_the_un_date(language):
    moment = datetime.datetime(2024, 12, 15, 14, 5)
    with translation.override(language):
        assert date_format(moment, "DATETIME_FORMAT") == f"{EXPECTED[language]}, 14:05"
        assert date_format(moment, "SHORT_DATETIME_FORMAT") == f"{EXPECTED[language]}, 14:05"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "1,234,567.50"), ("fr", "1\u00a0234\u00a0567,50"), ("es", "1.234.567,50")],
)
def test_numbers_take_the_languages_separators(language, expected):
    with translation.override(language):
        assert number_format(1234567.5, 2, force_grouping=True) == expected


@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_the_report_and_the_pages_write_dates_and_money_alike(language):
    with translation.override(language):
        assert format_date(DAY) == EXPECTED[language] == date_format(DAY)
        assert format_money(1234567.5) == "USD\u00a0" + number_format(1234567.5, 2, force_grouping=True)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_a_page_shows_its_dates_in_the_un_style(client, world, language):
    installment = make_installment(world.own, planned_on=DAY)
    client.force_login(world.users["case_manager"])
    response = client.get(installment.instrument.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    text = response.content.decode()
    assert EXPECTED[language] in text
    for django_style in ("Dec. 15, 2024", "12/15/2024", "15/12/2024", "2024-12-15<"):
        assert django_style not in text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr", "es"])
def test_reminder_e_mails_write_the_due_date_in_the_un_style(world, language):
    from portfolio.models import NotificationKind
    from portfolio.reminders import Due, _message

    instrument = make_installment(world.own).instrument
    due = Due(
        NotificationKind.AGREEMENT_ENDING, NotificationKind.AGREEMENT_ENDED, instrument, world.own, DAY, ()
    )
    with translation.override(language):
        _subject, body = _message(due, "before", 30)
    assert EXPECTED[language] in body and "2024-12-15" not in body
