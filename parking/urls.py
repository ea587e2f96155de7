from django.urls import path

from parking.views import applicant, documents, letters, staff

app_name = "parking"

urlpatterns = [
    path("", applicant.my_applications, name="home"),
    path("ny/", applicant.apply, name="apply"),
    path("soknad/<int:pk>/", applicant.application_detail, name="application"),
    path("soknad/<int:pk>/dokumentasjon/", applicant.supply_documentation, name="supply"),
    path("soknad/<int:pk>/klage/", applicant.appeal, name="appeal"),
    path("soknad/<int:pk>/merknad/", applicant.revocation_comment, name="revocation_comment"),
    path("soknad/<int:pk>/klage/merknad/", applicant.appeal_comment, name="appeal_comment"),
    path("soknad/<int:pk>/klage/trekk/", applicant.appeal_withdraw_view, name="appeal_withdraw"),
    path("dokument/<int:pk>/", documents.document_download, name="document"),
    path("vedtak/<int:pk>/", letters.decision_letter, name="letter"),
    path("vedtak/<int:pk>/pdf/", letters.decision_letter_pdf, name="letter_pdf"),
    path("vurdering/", staff.assessment_queue, name="assessment_queue"),
    path("vurdering/<int:task_id>/", staff.assess, name="assess"),
    path("vurdering/<int:task_id>/ta/", staff.assessment_claim, name="assessment_claim"),
    path("klageinstans/", staff.appeal_body_list, name="appeal_body"),
    path("tildeling/", staff.allocation_board, name="board"),
    path("tildeling/<slug:zone>/", staff.allocation_board, name="board_zone"),
]
