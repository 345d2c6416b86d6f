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
        self.assertEqual(
            first.journey_checklist_ids.mapped("name"),
            ["Floor mats"],
            "promises due at delivery go on the first delivery's checklist",
        )
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
        wizard = (
            self.env["journey.handover.wizard"]
            .with_user(self.consultant)
            .with_context(**action["context"])
            .create(
                {"receiver_id": self.delivery.id, "background": "Teacher, first EV"}
            )
        )
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
        handover = order.journey_handover_ids.filtered(
            lambda h: h.kind == "delivery_service"
        )
        self.assertEqual(handover.receiver_id, self.advisor)
        self.assertEqual(task.journey_checklist_ids.vehicle_id, task.journey_vehicle_id)

    def test_checklist_signature(self):
        order = self._confirmed_order()
        task = self._delivery_task(order)
        with self.assertRaisesText(UserError, "Floor mats"):
            task._journey_sign_checklist(
                "Zhao", SIGNATURE, "in_store", user=self.delivery
            )
        self._keep_all(task)
        signing = task._journey_sign_checklist(
            "Zhao", SIGNATURE, "in_store", user=self.delivery
        )
        self.assertEqual(task.journey_checklist_signature_id, signing)
        with self.assertRaisesText(UserError, "already signed"):
            task._journey_sign_checklist(
                "Zhao", SIGNATURE, "in_store", user=self.delivery
            )


@tagged("post_install", "-at_install")
class TestDeliveryRules(JourneyServiceCommon):
    def setUp(self):
        super().setUp()
        self.order = self._confirmed_order()
        self.task = self._delivery_task(self.order).with_env(self.env)
        self.task.user_ids = self.delivery
        self.mats = self.task.journey_checklist_ids.filtered(
            lambda c: c.name == "Floor mats"
        )
        self.dash_cam = self.task.journey_checklist_ids.filtered(
            lambda c: c.name == "Dash cam"
        )

    def test_done_by_state_or_by_stage_is_refused_with_open_promises(self):
        self._run_ceremony(self.task)
        task = self.task.with_user(self.delivery)
        with self.assertRaisesText(UserError, "Floor mats", "Dash cam"):
            task.state = "1_done"
        with self.assertRaisesText(UserError, "Floor mats", "Dash cam"):
            task.stage_id = self.stage["done"]
        self.assertFalse(task.journey_is_done)
        self._check_promise(self.mats, "partial", note="Only the front row")
        with self.assertRaisesText(UserError, "Floor mats"):
            task.state = "1_done"
        self._check_promise(
            self.mats,
            "deferred",
            customer_consent=True,
            date_deferred=fields.Date.today() + timedelta(days=10),
        )
        self._check_promise(
            self.dash_cam, "waived", customer_consent=True, note="Has one already"
        )
        task.stage_id = self.stage["done"]
        self.assertEqual(task.state, "1_done")
        self.assertEqual(self.mats.fulfillment_state, "deferred")
        self.assertEqual(self.dash_cam.waive_reason, "Has one already")

    def test_check_wizard_errors_lose_nothing(self):
        Wizard = self.env["journey.commitment.fulfil.wizard"].with_user(self.delivery)

        def confirm(commitment, **values):
            Wizard.create(
                {"commitment_ids": [(6, 0, commitment.ids)], **values}
            ).action_confirm()

        with self.assertRaisesText(UserError, "evidence"):
            confirm(self.dash_cam, action="fulfilled")
        with self.assertRaisesText(UserError, "still missing"):
            confirm(self.mats, action="partial")
        with self.assertRaisesText(UserError, "consent"):
            confirm(
                self.mats,
                action="deferred",
                date_deferred=fields.Date.today() + timedelta(days=3),
            )
        with self.assertRaisesText(UserError, "after today"):
            confirm(
                self.mats,
                action="deferred",
                customer_consent=True,
                date_deferred=fields.Date.today(),
            )
        with self.assertRaisesText(UserError, "reason"):
            confirm(self.mats, action="waived", customer_consent=True)
        self.assertEqual(
            set((self.mats | self.dash_cam).mapped("fulfillment_state")), {"open"}
        )
        self._check_promise(self.dash_cam)
        self.assertEqual(self.dash_cam.fulfillment_state, "fulfilled")
        self.assertEqual(len(self.dash_cam.evidence_ids), 1)
        self.assertEqual(self.dash_cam.fulfilled_by_id, self.delivery)
        with self.assertRaisesText(UserError, "already"):
            self._check_promise(self.dash_cam)

    def test_only_delivery_and_service_staff_record_fulfilment(self):
        with self.assertRaisesText(AccessError, "Only delivery specialists"):
            self.mats.with_user(self.consultant).action_journey_fulfil()
        self.assertEqual(self.mats.fulfillment_state, "open")

    def test_promise_awaiting_approval_cannot_be_kept(self):
        special = self._add_commitment(
            self.order, self.type_repairs, "Repairs within 3 days"
        )
        with self.assertRaisesText(UserError, "never approved"):
            special.with_user(self.delivery).action_journey_fulfil()

    def test_promise_added_after_confirmation_joins_the_checklist(self):
        film = self._add_commitment(
            self.order,
            self.env.ref("journey_crm.commitment_type_window_film"),
            "Window film",
        )
        self.assertEqual(film.delivery_task_id, self.task)
        self.assertIn(film, self.task.journey_checklist_ids)

    def test_stock_status_of_a_promised_product(self):
        mats_product = self.env["product.product"].create(
            {"name": "Floor mats set", "type": "consu", "is_storable": True}
        )
        self.mats.sudo().product_id = mats_product
        self.assertEqual(self.mats.stock_status, "missing")
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(
            mats_product, warehouse.lot_stock_id, 2
        )
        self.mats.invalidate_recordset(["stock_status"])
        mats_product.invalidate_recordset()
        self.assertEqual(self.mats.stock_status, "in_stock")
        self.assertEqual(self.dash_cam.stock_status, "no_stock")

    def test_prepare_reminder_three_days_before(self):
        planned = self.task.date_deadline
        prepare = self.env.ref("journey_service.mail_act_prepare_delivery")
        Task = self.env["project.task"]
        with freeze_time(planned - timedelta(days=4)):
            Task._cron_journey_prepare_deliveries()
        self.assertFalse(
            self.task.activity_ids.filtered(lambda a: a.activity_type_id == prepare)
        )
        with freeze_time(planned - timedelta(days=3)):
            Task._cron_journey_prepare_deliveries()
            Task._cron_journey_prepare_deliveries()
        activity = self.task.activity_ids.filtered(
            lambda a: a.activity_type_id == prepare
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.delivery)
        self.assertIn("Floor mats", activity.note)

    def test_ceremony_rules(self):
        today = fields.Date.today()
        with self.assertRaisesText(ValidationError, "3 to 6 months"):
            self._run_ceremony(self.task, first_service=today + timedelta(days=30))
        with self.assertRaisesText(ValidationError, "not a valid VIN"):
            self._run_ceremony(self.task, vin_sn="LJ1EV2SU00000000I")
        buyer = self.env["res.partner"].create(
            {"name": "Fleet Buyer Ltd", "is_company": True}
        )
        driver = self.env["res.partner"].create(
            {"name": "Driver Sun", "parent_id": buyer.id}
        )
        vehicle = self._run_ceremony(self.task, driver_id=driver.id)
        self.assertEqual(vehicle.driver_id, driver)
        self.assertEqual(vehicle.journey_partner_id, self.customer)
        self.assertEqual(self.order.commitment_ids.vehicle_id, vehicle)
        other = self._delivery_task(self._confirmed_order()).with_env(self.env)
        with self.assertRaisesText(ValidationError, "already has the VIN"):
            self._run_ceremony(other, vin_sn=vehicle.vin_sn)
