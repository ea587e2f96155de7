"""Domain errors raised by services; views show ``message`` to the user."""

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    default_message = _("The action could not be carried out.")

    def __init__(self, message=None, *, extra: dict | None = None):
        self.message = message or self.default_message
        self.extra = extra or {}
        super().__init__(str(self.message))


class TaskNotAvailable(ApplicationError):
    default_message = _("This task is no longer open. Someone may have completed it already.")


class TaskAlreadyClaimed(ApplicationError):
    default_message = _("Someone else has already claimed this task.")


class NotAllowed(ApplicationError):
    default_message = _("You are not allowed to do this.")


class FourEyesViolation(ApplicationError):
    default_message = _(
        "This step must be done by someone other than the person who handled the case."
    )


class InvalidTaskData(ApplicationError):
    default_message = _("The submitted data is not valid for this step.")


class CaseNotRetryable(ApplicationError):
    default_message = _("Only a case in error can be retried.")


class CaseClosed(ApplicationError):
    default_message = _("The case is closed.")


class NoDefinition(ApplicationError):
    default_message = _("The process is not installed. Run manage.py sync_workflows.")


class EventNotExpected(ApplicationError):
    default_message = _("The case is not waiting for this event at this point.")


class Disqualified(ApplicationError):
    default_message = _(
        "You are a party to this case or have declared yourself disqualified, so you cannot "
        "handle it. Another member of the group will."
    )


class ReasonRequired(ApplicationError):
    default_message = _("Give the reason why you are disqualified.")


class UploadNotStored(ApplicationError):
    """An uploaded file could not be written (disk full, quota, permissions):
    the step's transaction rolls back with this, so no case points to a file
    that is missing (``varde.uploads``)."""

    default_message = _(
        "The server cannot store files just now, so nothing has been sent. What you wrote is "
        "kept: please choose the files again and send it in a while."
    )
