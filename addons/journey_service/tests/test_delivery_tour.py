from odoo.tests import HttpCase, tagged

from .common import JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestDeliveryTour(HttpCase, JourneyServiceCommon):
    def test_specialist_checks_and_customer_signs(self):
        """What people click at the ceremony: the specialist checks every
        promise, then the customer signs the checked list."""
        order = self._create_order()
        self._add_commitment(order, self.type_mats, "Floor mats")
        accessory = self.env["journey.commitment.type"].create(
            {
                "name": "Accessory",
                "code": "ACCESSORY",
                "category": "gift",
                "department": "delivery",
                "due_rule": "at_delivery",
            }
        )
        self._add_commitment(order, accessory, "Charging cable bag")
        order.with_user(self.consultant).action_declare_commitments()
        order.with_user(self.consultant).action_confirm()
        task = self._delivery_task(order).with_env(self.env)
        task.user_ids = self.delivery
        action = self.env.ref("journey_service.project_task_action_journey_delivery")
        # The first tour of a fresh database also builds the asset bundles: be patient.
        self.start_tour(
            f"/odoo/action-{action.id}/{task.id}",
            "journey_service_delivery_check",
            login=self.delivery.login,
            timeout=300,
        )
        self.env.invalidate_all()
        self.assertEqual(
            set(task.journey_checklist_ids.mapped("fulfillment_state")), {"fulfilled"}
        )
        self.assertEqual(task.journey_checklist_ids.fulfilled_by_id, self.delivery)

        # The customer, from their own link, in a new session.
        self.authenticate(None, None)
        self.start_tour(
            task.get_portal_url(),
            "journey_service_checklist_sign",
            login=None,
            timeout=300,
        )
        self.env.invalidate_all()
        signing = task.journey_checklist_signature_id
        self.assertEqual(signing.name, "Customer Zhao")
        self.assertEqual(signing.method, "portal")
        self.assertEqual(signing.commitment_ids, task.journey_checklist_ids)
