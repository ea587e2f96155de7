"""Dates read day first in every language: Norwegian readers of English
pages, e-mails and PDFs (the PDF test is in tests/sickleave/test_pdf.py)
read 04.03.2026 as 4 March, so English must never show 03/04/2026."""

from datetime import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation

from incidents.services import incident_report_submit
from notifications.models import Delivery, OutgoingEmail
from notifications.services import preference_update

pytestmark = pytest.mark.django_db

# 4 March: day and month both below 13, so month-first would look valid.
MOMENT = datetime.fromisoformat("2026-03-04T10:30:00+01:00")


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_date_format_puts_the_day_first(language):
    with translation.override(language):
        short = formats.date_format(MOMENT, "SHORT_DATE_FORMAT")
        short_time = formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT")
        long = formats.date_format(MOMENT, "DATE_FORMAT")
        input_formats = formats.get_format("DATE_INPUT_FORMATS")
    assert short == "04.03.2026"
    assert short_time.startswith("04.03.2026") and "10:30" in short_time
    assert long.startswith("4")  # "4. mars 2026", "4 March 2026"
    if language != "en":  # nynorsk dates and numbers read as in bokmål
        with translation.override("nb"):
            assert formats.date_format(MOMENT, "DATE_FORMAT") == long
            bokmal_number = formats.number_format(1234.5, 1, use_l10n=True, force_grouping=True)
        with translation.override(language):
            assert formats.number_format(1234.5, 1, use_l10n=True,
                                         force_grouping=True) == bokmal_number
    assert not any(f.startswith("%m") for f in input_formats)


@pytest.mark.parametrize("language", ["en", "nb", "nn"])
def test_the_case_page_shows_day_first_dates_in_english(
    client, people, definitions, report_data, time_machine, language
):
    time_machine.move_to(MOMENT, tick=False)
    case = incident_report_submit(reporter=people["reporter"], data=report_data)
    client.force_login(people["coordinator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "04.03.2026" in html
    assert "03/04/2026" not in html and "March 4, 2026" not in html


@pytest.fixture
def with_emails(people):
    for user in people.values():
        user.email = f"{user.username}@example.no"
        user.save()
    return people


def test_an_english_reminder_e_mail_shows_its_due_date_day_first(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker,
    time_machine,
):
    """Reported Monday 2 March 09:00: triage is due Wednesday 4 March 16:00,
    and the reminder that goes out at 16:00 on Monday names that day."""
    people = with_emails
    preference_update(user=people["coordinator2"], delivery=Delivery.IMMEDIATE, language="en")
    time_machine.move_to(datetime.fromisoformat("2026-03-02T09:00:00+01:00"), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        incident_report_submit(reporter=people["reporter"], data=report_data)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()  # the notification job schedules the reminder
    time_machine.move_to(datetime.fromisoformat("2026-03-02T16:01:00+01:00"), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        run_worker()
    reminder = OutgoingEmail.objects.get(to="coordinator2@example.no", body__contains="is due")
    assert "is due 04.03.2026." in reminder.body, reminder.body
    assert "03/04/2026" not in reminder.body
