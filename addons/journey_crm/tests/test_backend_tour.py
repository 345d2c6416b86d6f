from odoo.tests import HttpCase, tagged

from .common import JourneyCrmCommon


@tagged("post_install", "-at_install")
class TestBackendTour(HttpCase, JourneyCrmCommon):
    def test_consultant_records_declares_and_confirms(self):
        """What a salesperson clicks: a promise on the quotation, then confirm."""
        order = self._create_order()
        self.assertEqual(
            order._get_commitment_blocking_reasons()[:1],
            ["The salesperson has not declared the commitment checklist complete."],
        )
        action = self.env.ref("sale.action_quotations_with_onboarding")
        self.start_tour(
            f"/odoo/action-{action.id}/{order.id}",
            "journey_crm_commitment_backend",
            login=self.consultant.login,
            timeout=300,
        )
        self.assertEqual(order.state, "sale")
        self.assertEqual(
            order.commitment_ids.name, "All-weather floor mats for all three rows"
        )
        self.assertEqual(order.commitment_ids.type_id, self.type_mats)
        self.assertEqual(order.commitment_ids.user_id, self.consultant)
        self.assertEqual(order.commitments_declared_by_id, self.consultant)
