from django.urls import path

from sickleave.views import followup, plans, screens

app_name = "sickleave"

urlpatterns = [
    path("", screens.home, name="home"),
    path("leder/", screens.leader_dashboard, name="leader"),
    path("hr/", screens.hr_overview, name="hr"),
    path("statistikk/", screens.statistics, name="statistics"),
    path("ny/", followup.register, name="register"),
    path("<str:reference>/", followup.detail, name="detail"),
    path("<str:reference>/grad/", followup.grade_change, name="grade"),
    path("<str:reference>/tilbake/", followup.return_to_work, name="returned"),
    path("<str:reference>/lukk/", followup.close, name="close"),
    path("<str:reference>/dialogmote-3/", followup.dm3_request, name="dm3"),
    path("<str:reference>/nav-ber-om-planen/", followup.nav_request, name="nav_request"),
    path("<str:reference>/bht/", followup.bht_invite, name="bht_invite"),
    path("<str:reference>/bht/<int:pk>/trekk/", followup.bht_revoke, name="bht_revoke"),
    path("<str:reference>/mote/<int:number>/referat/", followup.minutes, name="minutes"),
    path("<str:reference>/plan/ny/", plans.plan_new, name="plan_new"),
    path("<str:reference>/plan/<int:number>/", plans.plan_version, name="plan"),
    path("<str:reference>/plan/<int:number>/pdf/", plans.plan_pdf, name="plan_pdf"),
    path("<str:reference>/plan/<int:number>/kommentar/", plans.plan_comment,
         name="plan_comment"),
    path("<str:reference>/plan/<int:number>/bekreft/", plans.plan_confirm, name="plan_confirm"),
]
