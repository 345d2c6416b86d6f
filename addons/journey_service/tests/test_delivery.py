from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import SIGNATURE, JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestDelivery(JourneyServiceCommon):
    def test_confirmation_creates_one_delivery_per_vehicle(self):
        order = self._create_order()
        order.order_line[0].product_uom_qty = 2
        self._add_commitment(order, self.type_mats, "Floor mats")
        self._add_commitment(order, self.type_free_maintenance, "Two free services")
        order.with_user(self.consultant).action_declare_commitments()
        order.with_user(self.consultant).action_confirm()
        tasks = self._delivery_task(order)
        self.assertEqual(len(tasks), 2, "one delivery per vehicle sold")
        self.assertEqual(tasks.project_id, self.project_delivery)
        self.assertEqual(tasks.mapped("date_deadline"), [order.commitment_date] * 2)
        self.assertEqual(set(tasks.mapped("journey_step")), {"scheduled"})
        first = tasks.sorted("id")[0]
        self.assertEqual(first.journey_checklist_ids.mapped("name"), ["Floor mats"],
                         "promises due at delivery go on the first delivery's checklist")
        handover = order.journey_handover_ids
        self.assertEqual(len(handover), 1)
        self.assertEqual(handover.state, "draft")
        self.assertEqual(handover.date_deadline, order.date_order + timedelta(hours=24))
        self.assertEqual(handover.call_deadline, order.date_order + timedelta(days=3))
        # confirming again (e.g. after a cancel and reset) never adds a second delivery
        order._journey_start_delivery()
        self.assertEqual(len(self._delivery_task(order)), 2)

    def test_handover_wizard_links_the_existing_delivery(self):
        order = self._confirmed_order()
        self.customer.customer_needs = "Seven seats, second child coming"
        action = order.with_user(self.consultant).action_journey_handover()
        wizard = self.env["journey.handover.wizard"].with_user(self.consultant).with_context(
            **action["context"]).create({"receiver_id": self.delivery.id,
                                       "background": "Teacher, first EV"})
        wizard.action_send()
        task = self._delivery_task(order)
        self.assertEqual(len(task), 1)
        handover = order.journey_handover_ids
        self.assertEqual(handover.state, "sent")
        self.assertEqual(handover.task_id, task)
        self.assertEqual(task.user_ids, self.delivery)
        with self.assertRaisesText(AccessError, "Delivery Specialist"):
            handover.with_user(self.advisor).action_acknowledge()
        handover.with_user(self.delivery).action_acknowledge()
        self.assertTrue(handover.is_first_time_right)

    def test_full_delivery(self):
        order = self._confirmed_order()
        task = self._delivery_task(order)
        task_d = task.with_user(self.delivery)
        with self.assertRaisesText(UserError, "Floor mats", "Dash cam", "vehicle"):
            task_d.state = "1_done"
        self._keep_all(task)
        self._run_ceremony(task)
        self.assertTrue(task.journey_vehicle_id)
        self.assertEqual(self.customer.journey_service_advisor_id, self.advisor)
        first = task.journey_first_service_task_id
        self.assertEqual(first.journey_work_type, "service")
        self.assertEqual(first.journey_vehicle_id, task.journey_vehicle_id)
        task_d.stage_id = self.stage["done"]
        self.assertTrue(task.journey_is_done)
        handover = order.journey_handover_ids.filtered(lambda h: h.kind == "delivery_service")
        self.assertEqual(handover.receiver_id, self.advisor)
        self.assertEqual(task.journey_checklist_ids.vehicle_id, task.journey_vehicle_id)

    def test_checklist_signature(self):
        order = self._confirmed_order()
        task = self._delivery_task(order)
        with self.assertRaisesText(UserError, "Floor mats"):
            task._journey_sign_checklist("Zhao", SIGNATURE, "in_store", user=self.delivery)
        self._keep_all(task)
        signing = task._journey_sign_checklist("Zhao", SIGNATURE, "in_store", user=self.delivery)
        self.assertEqual(task.journey_checklist_signature_id, signing)
        with self.assertRaisesText(UserError, "already signed"):
            task._journey_sign_checklist("Zhao", SIGNATURE, "in_store", user=self.delivery)
