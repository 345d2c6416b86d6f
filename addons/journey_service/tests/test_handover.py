from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import JourneyServiceCommon

CONFIRMED = "2026-11-02 09:00:00"


@tagged("post_install", "-at_install")
class TestHandover(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write(
            {
                "customer_needs": "Seven seats for a growing family",
                "customer_concerns": "Winter range",
                "preferred_contact_method": "wechat",
            }
        )

    def _confirm(self):
        with freeze_time(CONFIRMED):
            return self._confirmed_order()

    def _wizard(self, order, **values):
        action = order.with_user(self.consultant).action_journey_handover()
        return (
            self.env["journey.handover.wizard"]
            .with_user(self.consultant)
            .with_context(**action["context"])
            .create({"receiver_id": self.delivery.id, **values})
        )

    def _send(self, order, **values):
        self._wizard(order, background="Teacher, first EV", **values).action_send()
        return order.journey_handover_ids

    def test_deadlines_and_prefill(self):
        order = self._confirm()
        handover = order.journey_handover_ids
        self.assertEqual(handover.date_deadline, datetime(2026, 11, 3, 9, 0))
        self.assertEqual(handover.call_deadline, datetime(2026, 11, 5, 9, 0))
        wizard = self._wizard(order)
        self.assertEqual(
            (wizard.needs, wizard.concerns, wizard.preferred_contact_method),
            ("Seven seats for a growing family", "Winter range", "wechat"),
        )
        self.assertEqual(
            wizard.handover_id, handover, "the wizard links the handover of the order"
        )
        self.assertEqual(
            set(wizard.commitment_ids.mapped("name")), {"Floor mats", "Dash cam"}
        )

    def test_receiver_must_be_a_delivery_specialist(self):
        order = self._confirm()
        wizard = self._wizard(order, background="x")
        wizard.receiver_id = self.advisor
        with self.assertRaisesText(UserError, "Service Advisor", "Delivery Specialist"):
            wizard.action_send()
        self.assertEqual(order.journey_handover_ids.state, "draft")

    def test_only_the_receiver_acknowledges(self):
        handover = self._send(self._confirm())
        for intruder in (self.consultant, self.advisor):
            with self.assertRaisesText(AccessError, "Delivery Specialist"):
                handover.with_user(intruder).action_acknowledge()
        self.assertEqual(handover.state, "sent")

    def test_return_fix_resend(self):
        order = self._confirm()
        handover = self._send(order)
        action = handover.with_user(self.delivery).action_return()
        self.assertEqual(action["res_model"], "journey.handover.return.wizard")
        wizard = (
            self.env["journey.handover.return.wizard"]
            .with_user(self.delivery)
            .with_context(**action["context"])
            .create({"reason": "Which colour did she choose?"})
        )
        wizard.action_return()
        self.assertEqual((handover.state, handover.return_count), ("returned", 1))
        self.assertTrue(
            handover.activity_ids.filtered(lambda a: a.user_id == self.consultant),
            "the sender is asked to fix it",
        )
        self._wizard(
            order, background="Teacher, first EV", special_requests="Pearl white"
        ).action_send()
        handover.with_user(self.delivery).action_acknowledge()
        self.assertEqual(handover.state, "acknowledged")
        self.assertFalse(
            handover.is_first_time_right,
            "a returned brief was not right the first time",
        )
        self.assertIn("Which colour", " ".join(handover.message_ids.mapped("body")))

    def test_sent_brief_is_not_edited(self):
        handover = self._send(self._confirm())
        with self.assertRaisesText(UserError, "not edited"):
            handover.with_user(self.consultant).write({"needs": "Something else"})
        self.assertEqual(handover.needs, "Seven seats for a growing family")

    def test_call_scheduled_in_time_or_done_with_a_note(self):
        order = self._confirm()
        handover = self._send(order)
        handover.with_user(self.consultant).write(
            {"call_date": datetime(2026, 11, 6, 9, 0)}
        )
        handover.with_user(self.consultant).action_schedule_call()
        self.assertEqual(
            handover.call_state, "to_do", "a call after the deadline does not count"
        )
        handover.with_user(self.consultant).write(
            {"call_date": datetime(2026, 11, 4, 9, 0)}
        )
        handover.with_user(self.consultant).action_schedule_call()
        self.assertEqual(handover.call_state, "scheduled")
        self.assertIn(self.customer, handover.call_event_id.partner_ids)
        with self.assertRaisesText(UserError, "what was said"):
            handover.with_user(self.consultant).action_call_done()
        handover.with_user(self.consultant).write(
            {"call_note": "15 minutes, all three of us."}
        )
        handover.with_user(self.consultant).action_call_done()
        self.assertEqual(handover.call_state, "done")

    def test_overdue_filter_and_hourly_notice_once(self):
        order = self._confirm()
        handover = order.journey_handover_ids
        Handover = self.env["journey.handover"]
        with freeze_time("2026-11-03 08:00:00"):
            self.assertFalse(
                Handover.search([("id", "=", handover.id), ("is_overdue", "=", True)])
            )
        with freeze_time("2026-11-03 10:00:00"):
            self.assertTrue(handover.is_overdue)
            self.assertEqual(
                Handover.search([("is_overdue", "=", True), ("id", "=", handover.id)]),
                handover,
            )
            Handover._cron_notify_overdue()
            Handover._cron_notify_overdue()
        overdue_type = self.env.ref("journey_service.mail_act_handover_overdue")
        notices = handover.activity_ids.filtered(
            lambda a: a.activity_type_id == overdue_type
        )
        self.assertEqual(len(notices), 1)
        self.assertEqual(notices.user_id, self.consultant)
        with freeze_time("2026-11-05 10:00:00"):
            Handover._cron_notify_overdue()
        notices = handover.activity_ids.filtered(
            lambda a: a.activity_type_id == overdue_type
        )
        self.assertEqual(
            len(notices), 2, "the late three-party call is notified too, once"
        )

    def test_delivery_done_hands_over_to_the_service_advisor(self):
        order = self._confirm()
        self._send(order).with_user(self.delivery).action_acknowledge()
        task = self._delivery_task(order)
        self._keep_all(task)
        self._run_ceremony(task)
        with freeze_time("2026-12-01 15:00:00"):
            task.with_user(self.delivery).state = "1_done"
        to_service = order.journey_handover_ids.filtered(
            lambda h: h.kind == "delivery_service"
        )
        self.assertEqual(
            (to_service.sender_id, to_service.receiver_id),
            (self.delivery, self.advisor),
        )
        self.assertEqual(to_service.date_deadline, datetime(2026, 12, 2, 15, 0))
        self.assertEqual(to_service.call_deadline, datetime(2026, 12, 4, 15, 0))
        self.assertEqual(
            to_service.needs,
            "Seven seats for a growing family",
            "what sales knew travels on",
        )
        with self.assertRaisesText(UserError, "Service Advisor"):
            to_service.with_user(self.delivery).write(
                {"receiver_id": self.consultant.id}
            )
            to_service.with_user(self.delivery).action_send()
        self.assertEqual(
            timedelta(days=1), to_service.date_deadline - datetime(2026, 12, 1, 15, 0)
        )
