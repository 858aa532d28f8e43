"""The pages of a project's rollout."""

from django.urls import path

from . import views

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
