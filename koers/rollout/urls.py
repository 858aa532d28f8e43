"""Two sets of pages: a client's people, and the rollout of a project."""

from django.urls import path

from . import views

people = (
    [
        path("", views.people, name="list"),
        path("import/", views.import_upload, name="import"),
        path("import/<int:run>/", views.import_run, name="import_run"),
        path("import/<int:run>/mark-left/", views.import_mark_left, name="import_mark_left"),
        path("import/<int:run>/discard/", views.import_discard, name="import_discard"),
        path("<int:person>/marks/", views.person_marks, name="marks"),
    ],
    "people",
)

rollout = (
    [
        path("", views.board, name="board"),
        path("settings/", views.rollout_settings, name="settings"),
        path("plan/", views.plan_waves, name="plan"),
        path("settings/blackout/", views.blackout_upload, name="blackout"),
        path("departments/move/", views.department_move, name="department_move"),
        path("pilot/", views.pilot, name="pilot"),
        path("pilot/select/", views.pilot_select, name="pilot_select"),
        path("pilot/swap/", views.pilot_swap, name="pilot_swap"),
        path("pilot/ring/", views.first_ring, name="first_ring"),
        path("big-bang/", views.big_bang, name="big_bang"),
        path("waves.ics", views.calendar, name="calendar"),
        path("support/upload/", views.support_upload, name="support_upload"),
        path("waves/<int:wave>/", views.wave_detail, name="wave"),
        path("waves/<int:wave>/start/", views.wave_start, name="wave_start"),
        path("waves/<int:wave>/evaluate/", views.wave_evaluate, name="wave_evaluate"),
        path("waves/<int:wave>/pause/", views.wave_pause, name="wave_pause"),
        path("waves/<int:wave>/resume/", views.wave_resume, name="wave_resume"),
        path("waves/<int:wave>/move/", views.wave_move, name="wave_move"),
        path("waves/<int:wave>/roll-back/", views.wave_roll_back, name="wave_roll_back"),
        path("waves/<int:wave>/gate/", views.gate_edit, name="gate"),
        path("waves/<int:wave>/decide/", views.gate_decide, name="gate_decide"),
        path("waves/<int:wave>/support/", views.support_add, name="support"),
        path("waves/<int:wave>/people.csv", views.wave_csv, name="wave_csv"),
        path("waves/<int:wave>/people.xlsx", views.wave_xlsx, name="wave_xlsx"),
    ],
    "rollout",
)
