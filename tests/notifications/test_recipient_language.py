"""språklova § 15: two people told of the same event each get it in their
own language: the notification text, the e-mail and the digest.

The nynorsk expectations are the nynorsk catalogue's own wording (read with
gettext under nn), so the tests hold whatever the translators chose; they
also check that no bokmål-only word is left (tests/i18n/nynorsk.py), which
fails until the nynorsk catalogue is there (Django falls back to bokmål).
"""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from incidents.services import incident_report_submit
from notifications.models import Delivery, Kind, Notification, OutgoingEmail
from notifications.services import digest_send, preference_update
from org.services import language_set
from tests.conftest import REPORT
from tests.i18n.nynorsk import bokmal_words

pytestmark = pytest.mark.django_db

WAITING = "A task is waiting in your group"
OPEN_IT = "Open it in Varde:"


def in_language(language: str, msgid: str) -> str:
    with translation.override(language):
        return gettext(msgid)


@pytest.fixture
def with_emails(people):
    for user in people.values():
        user.email = f"{user.username}@example.no"
        user.save()
    return people


def report(report_data, people, capture, run_worker):
    with capture(execute=True):
        incident_report_submit(reporter=people["reporter"], data=report_data)
    with capture(execute=True):
        run_worker()  # notifications and e-mails are made in the background


def test_two_handlers_of_one_task_bokmal_and_english(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    people = with_emails
    language_set(user=people["coordinator"], language="nb")
    language_set(user=people["coordinator2"], language="en")
    report(report_data, people, django_capture_on_commit_callbacks, run_worker)

    bokmal = OutgoingEmail.objects.get(to="coordinator@example.no")
    english = OutgoingEmail.objects.get(to="coordinator2@example.no")
    assert bokmal.subject == "[Varde] En oppgave venter i gruppen din"
    assert "Åpne det i Varde:" in bokmal.body and OPEN_IT not in bokmal.body
    assert english.subject == f"[Varde] {WAITING}"
    assert OPEN_IT in english.body and "Åpne det" not in english.body


def test_two_handlers_of_one_task_bokmal_and_nynorsk(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    people = with_emails
    language_set(user=people["coordinator"], language="nb")
    language_set(user=people["coordinator2"], language="nn")
    report(report_data, people, django_capture_on_commit_callbacks, run_worker)

    bokmal = OutgoingEmail.objects.get(to="coordinator@example.no")
    nynorsk = OutgoingEmail.objects.get(to="coordinator2@example.no")
    assert bokmal.subject == "[Varde] En oppgave venter i gruppen din"
    assert nynorsk.subject == f"[Varde] {in_language('nn', WAITING)}"
    assert in_language("nn", OPEN_IT) in nynorsk.body
    # Nynorsk, not bokmål (awaits locale/nn): "oppgave" is no nynorsk word,
    # so the subjects differ, and nothing bokmål-only is left in the e-mail.
    assert nynorsk.subject != bokmal.subject, "no nynorsk translation in locale/nn yet"
    found = bokmal_words(f"<html><body><pre>{nynorsk.subject}\n{nynorsk.body}</pre></body>"
                         "</html>", typed=REPORT.values())
    assert not found, "bokmål in the nynorsk e-mail:\n" + "\n".join(found)
    texts = dict(Notification.objects.filter(kind=Kind.TASK_WAITING)
                 .values_list("user__username", "text"))
    assert texts["coordinator"] != texts["coordinator2"]


def test_a_digest_is_in_its_recipients_language(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    people = with_emails
    preference_update(user=people["coordinator"], delivery=Delivery.DIGEST, language="nn")
    preference_update(user=people["coordinator2"], delivery=Delivery.DIGEST, language="en")
    report(report_data, people, django_capture_on_commit_callbacks, run_worker)
    with django_capture_on_commit_callbacks(execute=True):
        digest_send(user=people["coordinator"])
        digest_send(user=people["coordinator2"])
    nynorsk = OutgoingEmail.objects.get(to="coordinator@example.no")
    english = OutgoingEmail.objects.get(to="coordinator2@example.no")
    nn_text = Notification.objects.get(user=people["coordinator"], kind=Kind.TASK_WAITING).text
    assert nn_text in nynorsk.body
    assert "the task “" in english.body
    assert nynorsk.subject != english.subject


def test_changing_language_changes_what_is_sent_next(
    definitions, with_emails, report_data, django_capture_on_commit_callbacks, run_worker
):
    people = with_emails
    language_set(user=people["coordinator2"], language="en")
    report(report_data, people, django_capture_on_commit_callbacks, run_worker)
    language_set(user=people["coordinator2"], language="nb")
    report(report_data, people, django_capture_on_commit_callbacks, run_worker)
    subjects = list(OutgoingEmail.objects.filter(to="coordinator2@example.no")
                    .order_by("pk").values_list("subject", flat=True))
    assert subjects == [f"[Varde] {WAITING}", "[Varde] En oppgave venter i gruppen din"]


# -- the text follows the person's language at the time it is read ---------------

def test_a_notification_keeps_its_text_in_every_language(
    definitions, people, report_data, django_capture_on_commit_callbacks, run_worker
):
    report(report_data, people, django_capture_on_commit_callbacks, run_worker)
    notification = Notification.objects.filter(
        user=people["coordinator"], kind=Kind.TASK_WAITING).get()
    assert set(notification.texts) == {"nb", "nn", "en"}
    assert notification.text == notification.texts["nb"]  # no choice yet: bokmål
    for language in ("nb", "nn", "en"):
        with translation.override(language):
            assert notification.shown_text == notification.texts[language]
    assert len({*notification.texts.values()}) == 3


def test_a_row_from_before_the_texts_shows_its_stored_text(people):
    old = Notification.objects.create(user=people["coordinator"], kind=Kind.TASK_WAITING,
                                      text="AVV-1: oppgaven «Vurder» venter i gruppen din.")
    with translation.override("nn"):
        assert old.shown_text == old.text
