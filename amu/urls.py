from django.urls import path

from amu.views import cases, home, items, meetings

app_name = "amu"

urlpatterns = [
    path("", home.home, name="home"),
    path("ny-sak/", home.submit, name="submit"),
    path("organ/<slug:code>/krev-mote/", home.demand_meeting, name="demand_meeting"),
    path("sak/<str:reference>/", cases.case_detail, name="case"),
    path("sak/<str:reference>/dokument/", cases.document_upload, name="document_upload"),
    path("sak/<str:reference>/dokument/<int:pk>/", cases.document_download, name="document"),
    path("sak/<str:reference>/sammendrag/", cases.summary_update, name="summary"),
    path("avvik/<str:reference>/til-amu/", cases.escalate_incident, name="escalate_incident"),
    path("moter/", meetings.calendar, name="calendar"),
    path("moter/nytt/", meetings.meeting_create, name="meeting_create"),
    path("moter/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("moter/<int:pk>/saksliste.pdf", meetings.agenda_pdf, name="agenda_pdf"),
    path("moter/<int:pk>/legg-til/", meetings.agenda_add, name="agenda_add"),
    path("moter/<int:pk>/publiser/", meetings.agenda_publish, name="agenda_publish"),
    path("moter/<int:pk>/tilstede/", meetings.attendance, name="attendance"),
    path("moter/<int:pk>/avslutt/", meetings.meeting_close, name="meeting_close"),
    path("moter/<int:pk>/protokoll/", meetings.minutes, name="minutes"),
    path("moter/<int:pk>/protokoll.pdf", meetings.minutes_pdf, name="minutes_pdf"),
    path("moter/<int:pk>/protokoll/godkjenn/", meetings.minutes_approve, name="minutes_approve"),
    path("moter/<int:pk>/sak/<int:item_pk>/", items.item_detail, name="item"),
    path("moter/<int:pk>/sak/<int:item_pk>/fjern/", meetings.agenda_remove, name="agenda_remove"),
    path("moter/<int:pk>/sak/<int:item_pk>/flytt/", meetings.agenda_move, name="agenda_move"),
    path("moter/<int:pk>/sak/<int:item_pk>/forslag/", meetings.agenda_proposal,
         name="agenda_proposal"),
    path("moter/<int:pk>/sak/<int:item_pk>/stem/", items.item_vote, name="item_vote"),
    path("moter/<int:pk>/sak/<int:item_pk>/avstemning/", items.item_voting, name="item_voting"),
    path("moter/<int:pk>/sak/<int:item_pk>/stemmer/", items.item_record_votes,
         name="item_record_votes"),
    path("moter/<int:pk>/sak/<int:item_pk>/vedtak/", items.item_decide, name="item_decide"),
    path("moter/<int:pk>/sak/<int:item_pk>/rett/", items.item_revise, name="item_revise"),
    path("moter/<int:pk>/sak/<int:item_pk>/inhabil/", items.item_conflict, name="item_conflict"),
    path("moter/<int:pk>/sak/<int:item_pk>/skjerming/", items.item_confidential,
         name="item_confidential"),
    path("moter/<int:pk>/sak/<int:item_pk>/klage/", items.item_appeal, name="item_appeal"),
    path("tall/", meetings.statistics, name="statistics"),
]
