from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestServiceAccess(JourneyServiceCommon):
    """Each department reads what the others did for its customers, no more."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._confirmed_order()
        cls.task = cls._delivery_task(cls.order)
        cls._keep_all(cls.task)
        cls.vehicle = cls._run_ceremony(cls.task)
        cls.visit = cls.task.journey_first_service_task_id
        cls.other_order = cls._confirmed_order(
            user=cls.consultant_2, partner=cls.other_customer
        )
        cls.other_task = cls._delivery_task(cls.other_order)

    def test_consultant_reads_not_edits_own_customers_work(self):
        Task = self.env["project.task"].with_user(self.consultant)
        self.assertEqual(
            Task.search([("journey_work_type", "!=", False)]), self.task | self.visit
        )
        self.task.with_user(self.consultant).read(
            ["name", "journey_checklist_ids", "stage_id"]
        )
        with self.assertRaises(AccessError):
            self.task.with_user(self.consultant).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.visit.with_user(self.consultant).write({"journey_bay_id": self.bay.id})
        with self.assertRaises(AccessError):
            self.other_task.with_user(self.consultant).read(["name"])
        Vehicle = self.env["fleet.vehicle"].with_user(self.consultant)
        self.assertEqual(Vehicle.search([]), self.vehicle)
        with self.assertRaises(AccessError):
            self.vehicle.with_user(self.consultant).write({"license_plate": "X"})
        with self.assertRaises(AccessError):
            Vehicle.create({"model_id": self.fleet_model.id})

    def test_delivery_and_service_staff(self):
        # Delivery specialists work on every delivery, read the order and its promises.
        self.other_task.with_user(self.delivery).write({"priority": "1"})
        self.other_order.with_user(self.delivery).read(["name"])
        self.other_order.commitment_ids.with_user(self.delivery).read(["name"])
        self.other_order.journey_handover_ids.with_user(self.delivery).read(["needs"])
        with self.assertRaises(AccessError):
            self._create_service_task().with_user(self.delivery).read(["name"])
        # Service advisors work on every visit and read the deliveries.
        self.visit.with_user(self.advisor).write({"journey_bay_id": self.bay.id})
        self.task.with_user(self.advisor).read(["journey_checklist_ids"])
        with self.assertRaises(AccessError):
            self.task.with_user(self.advisor).write({"name": "Renamed"})
        self.order.journey_handover_ids.with_user(self.advisor).read(["needs"])
        with self.assertRaises(AccessError):
            self.order.journey_handover_ids.with_user(self.advisor).write(
                {"call_note": "x"}
            )

    def test_fleet_user_group_alone_creates_no_vehicle(self):
        fleet_user = new_test_user(
            self.env,
            login="fleet_only",
            groups="base.group_user,fleet.fleet_group_user",
        )
        with self.assertRaises(AccessError):
            self.env["fleet.vehicle"].with_user(fleet_user).create(
                {"model_id": self.fleet_model.id}
            )
        self.assertFalse(self.env["fleet.vehicle"].with_user(fleet_user).search([]))
        vehicle = (
            self.env["fleet.vehicle"]
            .with_user(self.delivery)
            .create(
                {
                    "model_id": self.fleet_model.id,
                    "journey_partner_id": self.customer.id,
                }
            )
        )
        self.assertTrue(vehicle)

    def test_company_isolation(self):
        other_user = new_test_user(
            self.env,
            login="other_company_delivery",
            groups="base.group_user,journey_crm.group_delivery_specialist",
            company_id=self.other_company.id,
            company_ids=[Command.set(self.other_company.ids)],
        )
        self.assertFalse(
            self.env["project.task"]
            .with_user(other_user)
            .search([("journey_work_type", "!=", False)])
        )
        self.assertFalse(self.env["journey.handover"].with_user(other_user).search([]))

    def test_open_promises_of_many_visits_in_constant_queries(self):
        visits = self.env["project.task"].browse()
        for _index in range(5):
            visits |= self._create_service_task()
        visits.invalidate_recordset()
        with self.assertQueryCount(__system__=4):
            promises = [visit.journey_open_commitment_ids for visit in visits]
        self.assertEqual(len(promises), 5)
