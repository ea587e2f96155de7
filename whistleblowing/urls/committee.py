from django.urls import path

from whistleblowing.views import committee, committee_auth

app_name = "wb_committee"

urlpatterns = [
    path("", committee.dashboard, name="dashboard"),
    path("logg-inn/", committee_auth.login, name="login"),
    path("logg-ut/", committee_auth.logout, name="logout"),
    path("fortsett/", committee_auth.extend, name="extend"),
    path("totp/", committee_auth.totp, name="totp"),
    path("nokkel/", committee_auth.key, name="key"),
    path("nokkel/bekreft/", committee_auth.recovery_key_confirm, name="recovery_key_confirm"),
    path("nokkel/ny-gjenopprettingsnokkel/", committee_auth.recovery_key_renew,
         name="recovery_key_renew"),
    path("nokkel/gjenopprett/", committee_auth.recover, name="recover"),
    path("passord/", committee_auth.password_change, name="password"),
    path("medlemmer/", committee.members, name="members"),
    path("logg/", committee.audit, name="audit"),
    path("sak/<uuid:report_uuid>/", committee.case, name="case"),
    path("sak/<uuid:report_uuid>/identitet/", committee.identity, name="identity"),
    path("sak/<uuid:report_uuid>/melding/", committee.message, name="message"),
    path("sak/<uuid:report_uuid>/tilgang/", committee.grant, name="grant"),
    path("sak/<uuid:report_uuid>/utelukk/", committee.exclude, name="exclude"),
    path("sak/<uuid:report_uuid>/steg/<int:task_id>/", committee.step, name="step"),
    path("sak/<uuid:report_uuid>/vedlegg/<uuid:entry_uuid>/", committee.attachment,
         name="attachment"),
    path("arbeidsgiver/sak/<uuid:report_uuid>/", committee.decision_case, name="decision_case"),
]
