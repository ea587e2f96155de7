from django.urls import path

from whistleblowing.views import reporter

app_name = "whistleblowing"

urlpatterns = [
    path("", reporter.info, name="info"),
    path("varsle/", reporter.report, name="report"),
    path("kvittering/lagret/", reporter.receipt_saved, name="receipt_saved"),
    path("logg-inn/", reporter.login, name="login"),
    path("sak/", reporter.case, name="case"),
    path("sak/svar/", reporter.reply, name="reply"),
    path("sak/fortsett/", reporter.extend, name="extend"),
    path("sak/vedlegg/<uuid:entry_uuid>/", reporter.attachment, name="attachment"),
    path("logg-ut/", reporter.logout, name="logout"),
]
