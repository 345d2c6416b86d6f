from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestServiceVisit(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.customer_needs = "Needs the car every morning at 7"
        order = cls._create_order()
        cls._add_commitment(order, cls.type_mats, "Floor mats")
        cls.free = cls._add_commitment(
            order,
            cls.type_free_maintenance,
            "Two free services",
            uses_total=2,
            period_months=24,
        )
        cls.charger = cls._add_commitment(order, cls.type_charger, "Home charger")
        order.with_user(cls.consultant).action_declare_commitments()
        order.with_user(cls.consultant).action_confirm()
        cls.order = order
        cls.vehicle = cls.env["fleet.vehicle"].create(
            {
                "model_id": cls.fleet_model.id,
                "vin_sn": cls._next_vin(),
                "journey_partner_id": cls.customer.id,
                "journey_order_id": order.id,
            }
        )

    def _visit(self, **values):
        return self._create_service_task(journey_vehicle_id=self.vehicle.id, **values)

    def test_steps_timestamps_and_durations(self):
        with freeze_time("2026-11-10 09:00:00"):
            visit = self._visit(journey_job_ids=[Command.set(self.job_alignment.ids)])
            visit.with_user(self.advisor).action_journey_checkin()
        self.assertEqual(
            visit.journey_order_id,
            self.order,
            "a visit of a vehicle we sold joins its order",
        )
        self.assertEqual(visit.journey_standard_hours, 0.8)
        moves = [
            ("2026-11-10 09:02:00", "reception"),
            ("2026-11-10 09:10:00", "diagnosis"),
            ("2026-11-10 09:40:00", "repair"),
        ]
        for moment, step in moves:
            with freeze_time(moment):
                visit.with_user(self.advisor).stage_id = self.service_stage[step]
        with freeze_time("2026-11-10 10:30:00"):
            visit.with_user(self.advisor).action_journey_vehicle_ready()
        with freeze_time("2026-11-10 10:42:00"):
            visit.with_user(self.advisor).stage_id = self.service_stage["handed_back"]
        self.assertEqual(
            visit.journey_step_ids.mapped("step"),
            ["appointment", "reception", "diagnosis", "repair", "handed_back"],
        )
        self.assertEqual(visit.journey_step_ids[1:].user_id, self.advisor)
        self.assertAlmostEqual(visit.journey_reception_minutes, 2.0)
        self.assertAlmostEqual(visit.journey_diagnosis_hours, 0.5)
        self.assertAlmostEqual(visit.journey_repair_hours, 50 / 60)
        self.assertAlmostEqual(visit.journey_handback_minutes, 12.0)
        self.assertEqual(
            visit.journey_followup_deadline, datetime(2026, 11, 13, 10, 42)
        )

    def test_checkin_set_at_reception(self):
        with freeze_time("2026-11-10 09:00:00"):
            visit = self._visit()
            visit.stage_id = self.service_stage["reception"]
        self.assertEqual(visit.journey_checkin_date, datetime(2026, 11, 10, 9, 0))

    def test_repeat_visit_within_30_days_same_job_same_vehicle(self):
        with freeze_time("2026-11-01 10:00:00"):
            first = self._visit(journey_job_ids=[Command.set(self.job_alignment.ids)])
            self._hand_back(first)
        # The customer's arrival dates the visit.
        again = self._visit(
            journey_job_ids=[Command.set(self.job_alignment.ids)],
            journey_checkin_date=datetime(2026, 11, 20, 10, 0),
        )
        other_job = self._visit(
            journey_job_ids=[Command.set(self.job_first.ids)],
            journey_checkin_date=datetime(2026, 11, 20, 10, 0),
        )
        later = self._visit(
            journey_job_ids=[Command.set(self.job_alignment.ids)],
            journey_checkin_date=datetime(2026, 12, 2, 10, 0),
        )
        self.assertEqual(again.journey_repeat_of_id, first)
        self.assertTrue(again.journey_is_repeat)
        self.assertFalse(other_job.journey_is_repeat, "another job is not a repeat")
        self.assertFalse(later.journey_is_repeat, "31 days later is not a repeat")

    def test_free_service_consumed_until_used_up(self):
        first = self._visit(journey_free_service_id=self.free.id)
        self._hand_back(first).stage_id = self.service_stage["done"]
        self.assertEqual(
            (self.free.uses_done, self.free.fulfillment_state), (1, "in_progress")
        )
        self.assertTrue(first.journey_free_service_consumed)
        first.with_user(self.advisor).state = "1_done"
        self.assertEqual(self.free.uses_done, 1, "a visit consumes one use, once")
        second = self._visit(journey_free_service_id=self.free.id)
        self._hand_back(second).state = "1_done"
        self.assertEqual(
            (self.free.uses_done, self.free.fulfillment_state), (2, "fulfilled")
        )
        with self.assertRaisesText(ValidationError, "cannot be used"):
            self._visit(journey_free_service_id=self.free.id)

    def test_used_up_free_service_is_refused_and_nothing_changes(self):
        visit = self._visit(journey_free_service_id=self.free.id)
        self.free.sudo().uses_done = 2
        with self.assertRaisesText(ValidationError, "All 2 free services"):
            self._hand_back(visit).stage_id = self.service_stage["done"]
        self.assertEqual(self.free.uses_done, 2)
        self.assertFalse(visit.journey_free_service_consumed)

    def test_free_service_after_its_period(self):
        visit = self._visit(journey_free_service_id=self.free.id)
        with freeze_time(fields.Date.today() + timedelta(days=800)):
            with self.assertRaisesText(
                ValidationError, "period of Two free services ended"
            ):
                visit.state = "1_done"
            self.env["journey.commitment"]._cron_journey_close_free_services()
        self.assertEqual(self.free.fulfillment_state, "fulfilled")
        self.assertIn("0 of 2", self.free.message_ids[0].body)

    def test_reminder_before_due_and_overdue_flag(self):
        due = self.charger.date_deadline
        Commitment = self.env["journey.commitment"]
        self.customer.journey_service_advisor_id = self.advisor
        due_type = self.env.ref("journey_service.mail_act_commitment_due")
        with freeze_time(due - timedelta(days=8)):
            Commitment._cron_journey_follow_up()
            self.assertFalse(self.charger.activity_ids)
        with freeze_time(due - timedelta(days=7)):
            Commitment._cron_journey_follow_up()
            Commitment._cron_journey_follow_up()
        reminder = self.charger.activity_ids.filtered(
            lambda a: a.activity_type_id == due_type
        )
        self.assertEqual(len(reminder), 1)
        self.assertEqual(
            reminder.user_id, self.advisor, "after-sales keeps the charger promise"
        )
        with freeze_time(due + timedelta(days=1)):
            self.charger.invalidate_recordset(["is_overdue"])
            self.assertTrue(self.charger.is_overdue)
            self.assertIn(self.charger, Commitment.search([("is_overdue", "=", True)]))
            self.assertNotIn(
                self.charger, Commitment.search([("is_overdue", "=", False)])
            )

    def test_visit_shows_open_promises_and_handover_notes(self):
        handover = self.order.journey_handover_ids
        handover.with_user(self.consultant).write(
            {"receiver_id": self.delivery.id, "background": "Night-shift nurse"}
        )
        handover.with_user(self.consultant).action_send()
        visit = self._visit().with_user(self.advisor)
        self.assertEqual(visit.journey_open_commitment_ids, self.order.commitment_ids)
        self.assertIn("Night-shift nurse", visit.journey_customer_notes)
        self.assertIn("Needs the car every morning at 7", visit.journey_customer_notes)

    def test_service_quotation_is_linked_and_counts_as_spend(self):
        self.job_alignment.product_id = self.env["product.product"].create(
            {"name": "Wheel alignment", "type": "service", "list_price": 300.0}
        )
        visit = self._visit(
            journey_job_ids=[Command.set(self.job_alignment.ids)]
        ).with_user(self.advisor)
        action = visit.action_journey_service_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(order.journey_service_task_id, visit)
        self.assertFalse(
            order.commitment_required, "a workshop bill needs no promise checklist"
        )
        self.assertEqual(order.order_line.product_id, self.job_alignment.product_id)
        order.with_user(self.advisor).action_confirm()
        self.assertEqual(visit.journey_service_amount, 300.0)
        self.assertEqual(self.customer.journey_service_spend, 300.0)
        self.assertFalse(order.journey_task_ids, "a service order creates no delivery")
