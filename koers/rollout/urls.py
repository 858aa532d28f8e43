"""The pages of a project's rollout."""

from django.urls import path

from .views import pilot, plan, waves

rollout = (
    [
        path("", plan.board, name="board"),
        path("settings/", plan.rollout_settings, name="settings"),
        path("plan/", plan.plan_waves, name="plan"),
        path("settings/blackout/", plan.blackout_upload, name="blackout"),
        path("departments/move/", plan.department_move, name="department_move"),
        path("pilot/", pilot.pilot, name="pilot"),
        path("pilot/select/", pilot.pilot_select, name="pilot_select"),
        path("pilot/swap/", pilot.pilot_swap, name="pilot_swap"),
        path("pilot/ring/", pilot.first_ring, name="first_ring"),
        path("big-bang/", plan.big_bang, name="big_bang"),
        path("waves.ics", plan.calendar, name="calendar"),
        path("support/upload/", plan.support_upload, name="support_upload"),
        path("waves/<int:wave>/", waves.wave_detail, name="wave"),
        path("waves/<int:wave>/start/", waves.wave_start, name="wave_start"),
        path("waves/<int:wave>/evaluate/", waves.wave_evaluate, name="wave_evaluate"),
        path("waves/<int:wave>/pause/", waves.wave_pause, name="wave_pause"),
        path("waves/<int:wave>/resume/", waves.wave_resume, name="wave_resume"),
        path("waves/<int:wave>/move/", waves.wave_move, name="wave_move"),
        path("waves/<int:wave>/roll-back/", waves.wave_roll_back, name="wave_roll_back"),
        path("waves/<int:wave>/gate/", waves.gate_edit, name="gate"),
        path("waves/<int:wave>/decide/", waves.gate_decide, name="gate_decide"),
        path("waves/<int:wave>/support/", waves.support_add, name="support"),
        path("waves/<int:wave>/people.csv", waves.wave_csv, name="wave_csv"),
        path("waves/<int:wave>/people.xlsx", waves.wave_xlsx, name="wave_xlsx"),
    ],
    "rollout",
)
