from datetime import date

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common_care import JourneyCareCommon


@tagged("post_install", "-at_install")
class TestCareTour(HttpCase, JourneyCareCommon):
    def test_manager_edits_a_plan_step_and_the_planned_event_moves(self):
        vehicle = self._vehicle()
        self._generate(vehicle)
        event = self._events(vehicle)
        self.assertEqual(event.planned_date, date(2026, 12, 2))
        self.start_tour(
            "/odoo/action-journey_service.journey_care_plan_action",
            "journey_care_plan_edit",
            login=self.manager.login,
            timeout=300,
        )
        self.env.invalidate_all()
        self.assertEqual(self.step.offset_days, 45)
        event = self._events(vehicle).filtered(lambda e: e.state == "planned")
        with freeze_time("2026-11-02 02:00:00"):
            self.Event._journey_generate(vehicle)
        self.assertEqual(event.planned_date, date(2026, 12, 17))
