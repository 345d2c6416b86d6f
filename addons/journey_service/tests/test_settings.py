"""Settings > Journey: a dealership tunes each delay, and the next record uses it."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import JourneyServiceCommon

CONFIRMED = "2026-11-02 09:00:00"


@tagged("post_install", "-at_install")
class TestSettings(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.consultant

    def _set(self, **values):
        """Change settings as an administrator does, through Settings > Journey."""
        settings = Form(self.env["res.config.settings"])
        for name, value in values.items():
            setattr(settings, name, value)
        settings.save().execute()

    def test_settings_page_defaults_are_todays_delays(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            (
                settings.journey_brief_hours,
                settings.journey_call_days,
                settings.journey_service_brief_hours,
                settings.journey_service_call_days,
                settings.journey_prepare_days,
                settings.journey_reminder_days,
                settings.journey_follow_up_days,
                settings.journey_repeat_visit_days,
                settings.journey_first_service_min_months,
                settings.journey_first_service_max_months,
                settings.journey_lead_response_hours,
            ),
            (24, 3, 24, 3, 3, 7, 3, 30, 3, 6, 24),
        )

    def test_handover_deadlines_follow_the_settings(self):
        self._set(journey_brief_hours=12, journey_call_days=5)
        with freeze_time(CONFIRMED):
            order = self._confirmed_order()
        handover = order.journey_handover_ids
        self.assertEqual(handover.date_deadline, order.date_order + timedelta(hours=12))
        self.assertEqual(handover.call_deadline, order.date_order + timedelta(days=5))

    def test_after_delivery_handover_follows_the_settings(self):
        self._set(journey_service_brief_hours=8, journey_service_call_days=2)
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        task.user_ids = self.delivery
        self._keep_all(task)
        self._run_ceremony(task)
        with freeze_time("2026-12-01 10:00:00"):
            task.with_user(self.delivery).stage_id = self.stage["done"]
        handover = order.journey_handover_ids.filtered(
            lambda h: h.kind == "delivery_service"
        )
        self.assertEqual(handover.date_deadline, datetime(2026, 12, 1, 18, 0))
        self.assertEqual(handover.call_deadline, datetime(2026, 12, 3, 10, 0))

    def test_first_service_window_follows_the_settings(self):
        self._set(
            journey_first_service_min_months=1, journey_first_service_max_months=2
        )
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        task.user_ids = self.delivery
        self._keep_all(task)
        today = fields.Date.context_today(task)
        with self.assertRaisesText(ValidationError, "1 to 2 months"):
            self._run_ceremony(task, first_service=today + timedelta(days=100))
        self._run_ceremony(task, first_service=today + timedelta(days=40))
        self.assertTrue(task.journey_first_service_task_id)

    def test_follow_up_and_repeat_window_follow_the_settings(self):
        self._set(journey_follow_up_days=1, journey_repeat_visit_days=60)
        with freeze_time("2026-10-01 09:00:00"):
            first = self._create_service_task(
                journey_job_ids=[(6, 0, self.job_alignment.ids)]
            )
            vehicle = self.env["fleet.vehicle"].create(
                {
                    "model_id": self.fleet_model.id,
                    "journey_partner_id": self.customer.id,
                }
            )
            first.journey_vehicle_id = vehicle
            self._hand_back(first)
            self.assertEqual(
                first.journey_followup_deadline, datetime(2026, 10, 2, 9, 0)
            )
        with freeze_time("2026-11-20 09:00:00"):
            second = self._create_service_task(
                journey_vehicle_id=vehicle.id,
                journey_job_ids=[(6, 0, self.job_alignment.ids)],
                journey_checkin_date=datetime(2026, 11, 20, 9, 0),
            )
        self.assertEqual(
            second.journey_repeat_of_id,
            first,
            "50 days later is within a 60-day window",
        )

    def test_lead_answer_delay_follows_the_settings(self):
        self._set(journey_lead_response_hours=4)
        with freeze_time(CONFIRMED):
            lead = (
                self.env["crm.lead"]
                .with_user(self.advisor)
                ._journey_raise_from_service(
                    self.customer, "trade_in", "a", "Wants to trade in the old car"
                )
            )
        self.assertEqual(lead.journey_response_deadline, datetime(2026, 11, 2, 13, 0))

    def test_reminder_and_preparation_days_follow_the_settings(self):
        self._set(journey_reminder_days=2, journey_prepare_days=10)
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        task.user_ids = self.delivery
        with freeze_time(order.commitment_date - timedelta(days=11)):
            task._cron_journey_prepare_deliveries()
            self.assertFalse(task.journey_prepare_reminded)
        with freeze_time(order.commitment_date - timedelta(days=9)):
            task._cron_journey_prepare_deliveries()
            self.assertTrue(task.journey_prepare_reminded)
        charger = self._add_commitment(order, self.type_charger, "Home charger")
        due = charger.date_due
        Commitment = self.env["journey.commitment"]
        with freeze_time(due - timedelta(days=3)):
            Commitment._cron_journey_follow_up()
            self.assertFalse(charger.reminder_sent)
        with freeze_time(due - timedelta(days=2)):
            Commitment._cron_journey_follow_up()
            self.assertTrue(charger.reminder_sent)

    def test_a_delay_that_makes_no_sense_is_refused(self):
        for values in ({"journey_brief_hours": 0}, {"journey_reminder_days": -1}):
            with (
                self.subTest(values=values),
                self.assertRaisesText(ValidationError, "positive"),
            ):
                self._set(**values)
        with self.assertRaisesText(ValidationError, "starts after it ends"):
            self._set(journey_first_service_min_months=7)
        self.assertEqual(self.env.company.journey_brief_hours, 24)
