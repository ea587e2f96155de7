from django.urls import path

from cases.views import admin_pages, case, failed_jobs, lists, tasks

app_name = "cases"

urlpatterns = [
    path("mine/", lists.my_cases, name="mine"),
    path("oppgaver/", lists.queue, name="queue"),
    path("oppgaver/<int:pk>/", tasks.task_detail, name="task"),
    path("oppgaver/<int:pk>/ta/", tasks.task_claim, name="task_claim"),
    path("oppgaver/<int:pk>/slipp/", tasks.task_unclaim, name="task_unclaim"),
    path("oppgaver/<int:pk>/tildel/", tasks.task_reassign, name="task_reassign"),
    path("oppgaver/<int:pk>/inhabil/", tasks.task_disqualify, name="task_disqualify"),
    path("admin/feil/", admin_pages.cases_in_error, name="in_error"),
    path("admin/jobber/", failed_jobs.failed_jobs, name="failed_jobs"),
    path("admin/jobber/<uuid:job_id>/", failed_jobs.failed_job_action, name="failed_job_action"),
    path("admin/definisjoner/", admin_pages.definitions, name="definitions"),
    path("sak/<str:reference>/", case.case_detail, name="detail"),
    path("sak/<str:reference>/avbryt/", case.case_cancel, name="cancel"),
    path("sak/<str:reference>/prov-igjen/", case.case_retry, name="retry"),
]
