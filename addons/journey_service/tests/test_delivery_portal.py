import json

from odoo import Command
from odoo.tests import tagged

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import SIGNATURE, JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestDeliveryPortal(HttpCaseWithUserPortal, JourneyServiceCommon):
    """The customer's own delivery pages: the checklist and its signature."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public_user = cls.env.ref("base.public_user")
        # The portal user of HttpCaseWithUserPortal is a contact of the customer.
        cls.user_portal.partner_id.parent_id = cls.customer
        cls.other_portal = cls.env["res.users"].create(
            {
                "name": "Other Customer",
                "login": "other_portal",
                "password": "other_portal",
                "partner_id": cls.other_customer.id,
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )

    def setUp(self):
        super().setUp()
        self.order = self._confirmed_order().with_env(self.env)
        self.task = self._delivery_task(self.order)
        self.task.description = "<p>Internal: customer haggled hard</p>"
        self.order.commitment_ids.filtered(
            lambda c: c.name == "Floor mats"
        ).cost_amount = 98765.43
        self.token = self.task._portal_ensure_token()

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def _sign(self, token, name="Customer Zhao"):
        response = self.url_open(
            f"/my/journey/delivery/{self.task.id}/sign?access_token={token or ''}",
            data=json.dumps(
                {
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"name": name, "signature": SIGNATURE},
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()["result"]

    def test_checklist_page_with_token_shows_promises_only(self):
        self.order.journey_handover_ids.write({"concerns": "Haggles over every detail"})
        response = self._get(
            f"/my/journey/delivery/{self.task.id}?access_token={self.token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Floor mats", response.text)
        self.assertIn("Dash cam", response.text)
        self.assertNotIn("98765", response.text, "never the internal cost")
        self.assertNotIn("haggled", response.text, "never the task description")
        self.assertNotIn("Haggles over", response.text, "never the handover notes")

    def test_wrong_token_or_other_customer_sees_nothing(self):
        for token in ("", "wrong", self.task.access_token or "x"):
            response = self._get(
                f"/my/journey/delivery/{self.task.id}?access_token={token}"
            )
            self.assertEqual(response.status_code, 404)
            self.assertNotIn("Floor mats", response.text)
        self.authenticate("other_portal", "other_portal")
        self.assertEqual(
            self._get(f"/my/journey/delivery/{self.task.id}").status_code, 404
        )

    def test_customer_portal_user_opens_without_token_but_not_odoo_task_page(self):
        self.authenticate("portal", "portal")
        response = self._get(f"/my/journey/delivery/{self.task.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Floor mats", response.text)
        listing = self._get("/my/journey/deliveries")
        self.assertIn(f"/my/journey/delivery/{self.task.id}", listing.text)
        generic = self._get(f"/my/tasks/{self.task.id}")
        self.assertNotEqual(
            generic.status_code,
            200,
            "the private delivery stays out of Odoo's task pages",
        )
        self.assertNotIn("haggled", generic.text)

    def test_signing_checks_token_and_open_promises(self):
        result = self._sign("wrong")
        self.assertIn("error", result)
        result = self._sign(self.token)
        self.assertIn("Check these promises", result["error"])
        self.assertFalse(self.task.journey_checklist_signature_id)
        self._keep_all(self.task)
        result = self._sign(self.token)
        self.assertNotIn("error", result)
        self.env.invalidate_all()
        signing = self.task.journey_checklist_signature_id
        self.assertEqual(
            (signing.name, signing.method, signing.user_id),
            ("Customer Zhao", "portal", self.public_user),
        )
        self.assertEqual(signing.commitment_ids, self.task.journey_checklist_ids)
        # The signed PDF is rendered by a job once the signature is stored.
        self.assertFalse(
            self.task.message_ids.attachment_ids.filtered(
                lambda a: a.name.endswith(".pdf")
            )
        )
        self.env["project.task"]._cron_journey_post_signed_checklists()
        self.assertTrue(
            self.task.message_ids.attachment_ids.filtered(
                lambda a: a.name.endswith(".pdf")
            )
        )
        self.assertTrue(self.task.journey_checklist_pdf_posted)
        self.assertIn("already signed", self._sign(self.token)["error"])
        self.assertEqual(
            self.env["journey.commitment.signature"].search_count(
                [("task_id", "=", self.task.id)]
            ),
            1,
        )

    def test_in_store_signature_when_employee_session(self):
        self._keep_all(self.task)
        self.authenticate("jc_delivery", "jc_delivery")
        self.assertNotIn("error", self._sign(self.token))
        self.env.invalidate_all()
        self.assertEqual(self.task.journey_checklist_signature_id.method, "in_store")
        self.assertEqual(
            self.task.journey_checklist_signature_id.user_id, self.delivery
        )
