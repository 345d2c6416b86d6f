import json
import re

from lxml import html as lxml_html

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import SIGNATURE, JourneyCrmCommon


def _text(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


@tagged("post_install", "-at_install")
class TestPortalSigning(HttpCaseWithUserPortal, JourneyCrmCommon):
    """The customer reads and signs the commitments in Odoo's portal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public_user = cls.env.ref("base.public_user")
        cls.type_price = cls.env.ref("journey_crm.commitment_type_price_promise")
        payment_method = cls.env.ref("payment.payment_method_unknown")
        cls.provider = cls.env["payment.provider"].create(
            {
                "name": "Journey Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.set(payment_method.ids)],
                "available_currency_ids": [Command.set(cls.company.currency_id.ids)],
            }
        )
        payment_method.active = True

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------

    def _full_order(self, partner=None, **values):
        """A ready quotation: three standard promises (one with an internal cost)
        and one approved special promise, declared complete."""
        order = self._create_order(partner=partner, **values)
        self.mats = self._add_commitment(
            order, self.type_mats, "Floor mats", cost_amount=98765.43
        )
        self.dash_cam = self._add_commitment(
            order, self.type_dash_cam, "Dash cam", quantity=2
        )
        self.charger = self._add_commitment(
            order, self.type_charger, "Home charger installation"
        )
        self.repairs = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        self.repairs.with_user(self.manager).action_approve()
        order.with_user(self.consultant).action_declare_commitments()
        self.assertFalse(order._get_commitment_blocking_reasons())
        return order

    def _blocked_order(self):
        """A quotation with an awaiting and a rejected special promise, not declared."""
        order = self._create_order()
        self.mats = self._add_commitment(
            order, self.type_mats, "Floor mats", cost_amount=98765.43
        )
        self.awaiting = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        self.rejected = self._add_commitment(
            order, self.type_price, "Price matched to any competitor"
        )
        self.rejected.with_user(self.manager).write({"rejection_reason": "Too costly"})
        self.rejected.with_user(self.manager).action_reject()
        self.assertEqual(self.awaiting.approval_state, "to_approve")
        self.assertEqual(self.rejected.approval_state, "rejected")
        return order

    def _portal_page(self, order, url=None):
        response = self.url_open(url or order.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(
            "/web/login", response.url, "the portal page redirected to the login"
        )
        return response.text, lxml_html.fromstring(response.text)

    def _commitment_rows(self, tree, xpath):
        rows = []
        for row in tree.xpath(xpath):
            rows.append(tuple(_text(cell) for cell in row.xpath("./td")))
        return rows

    def _expected_rows(self, commitments):
        return {(c.name, c.due_description) for c in commitments}

    def _jsonrpc(self, route, params):
        """The whole JSON-RPC answer: ``result`` or ``error`` with its message."""
        response = self.url_open(
            route,
            data=json.dumps(
                {"id": 0, "jsonrpc": "2.0", "method": "call", "params": params}
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _accept(self, order, access_token=None, name="Customer Zhao"):
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/accept",
            {"access_token": access_token, "name": name, "signature": SIGNATURE},
        )

    def _sign_changes(self, order, access_token=None, name="Customer Zhao"):
        return self.make_jsonrpc_request(
            f"/my/orders/{order.id}/commitments/sign",
            {"access_token": access_token, "name": name, "signature": SIGNATURE},
        )

    def _transaction_params(self, order, access_token):
        return {
            "provider_id": self.provider.id,
            "payment_method_id": self.provider.payment_method_ids[:1].id,
            "token_id": None,
            "amount": order.amount_total,
            "flow": "direct",
            "tokenization_requested": False,
            "landing_route": order.get_portal_url(),
            "access_token": access_token,
        }

    def _signatures(self, order):
        return self.env["journey.commitment.signature"].search(
            [("order_id", "=", order.id)]
        )

    def _assert_nothing_signed(self, order):
        self.env.invalidate_all()
        self.assertFalse(order.signature, "the order must not be signed")
        self.assertIn(order.state, ("draft", "sent"))
        all_versions = self.env["journey.commitment"].search(
            [("order_id", "=", order.id)]
        )
        self.assertFalse(
            any(all_versions.mapped("signed_on")), "no commitment may be signed"
        )
        self.assertFalse(any(all_versions.mapped("signed_fingerprint")))
        self.assertFalse(self._signatures(order), "no signature may be recorded")

    def _assert_signed_once(self, order, commitments, user, method):
        self.env.invalidate_all()
        signing = self._signatures(order)
        self.assertEqual(
            len(signing), 1, "exactly one signature record for the signing"
        )
        self.assertEqual(
            signing.commitment_ids, commitments, "it covers every visible version"
        )
        self.assertEqual(signing.method, method)
        self.assertEqual(signing.user_id, user, "who acted comes from the request")
        self.assertNotEqual(signing.user_id, self.env.ref("base.user_root"))
        self.assertEqual(signing.partner_id, order.partner_id)
        self.assertTrue(signing.signature)
        self.assertTrue(signing.fingerprint)
        for commitment in commitments:
            self.assertEqual(commitment.signed_on, signing.signed_on, commitment.name)
            self.assertEqual(
                commitment.signed_fingerprint,
                commitment._get_fingerprint(),
                commitment.name,
            )
        return signing

    # ------------------------------------------------------------------
    # What the customer reads
    # ------------------------------------------------------------------

    def test_portal_page_lists_customer_commitments(self):
        order = self._full_order()
        visible = self.mats | self.dash_cam | self.charger | self.repairs
        page, tree = self._portal_page(order)

        rows = self._commitment_rows(
            tree, "//section[@id='journey_commitments']//tbody/tr"
        )
        self.assertEqual(len(rows), 4, rows)
        self.assertEqual({(r[0], r[2]) for r in rows}, self._expected_rows(visible))
        self.assertIn(("Dash cam", "2"), {(r[0], r[1]) for r in rows})
        # Each due description says something concrete to the customer.
        self.assertIn(
            ("Home charger installation", self.charger.due_description),
            {(r[0], r[2]) for r in rows},
        )
        self.assertIn("days of delivery", self.charger.due_description)
        # The internal cost never reaches the customer.
        self.assertNotIn("98765", page)
        self.assertNotIn("98,765", page)
        self.assertNotIn("Internal Cost", page)
        # A ready quotation can be accepted and signed.
        self.assertTrue(tree.xpath("//form[@id='accept']"), "the sign form is offered")
        self.assertTrue(
            tree.xpath(
                "//a[@data-bs-target='#modalaccept'][contains(., 'Accept & Sign')]"
            )
        )
        self.assertFalse(tree.xpath("//*[@id='journey_commitments_pending']"))

    def test_report_lists_customer_commitments(self):
        order = self._full_order()
        visible = self.mats | self.dash_cam | self.charger | self.repairs
        report_html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.action_report_saleorder", order.ids)[0]
            .decode()
        )
        tree = lxml_html.fromstring(report_html)
        rows = self._commitment_rows(
            tree, "//div[@name='journey_commitments']//tbody/tr"
        )
        self.assertEqual({(r[0], r[2]) for r in rows}, self._expected_rows(visible))
        self.assertNotIn("98765", report_html)
        self.assertNotIn("98,765", report_html)

        # Hidden lines stay off the PDF too.
        blocked = self._blocked_order()
        report_html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("sale.action_report_saleorder", blocked.ids)[0]
            .decode()
        )
        rows = self._commitment_rows(
            lxml_html.fromstring(report_html),
            "//div[@name='journey_commitments']//tbody/tr",
        )
        self.assertEqual([r[0] for r in rows], ["Floor mats"])
        self.assertNotIn("Repairs within 3 days", report_html)
        self.assertNotIn("Price matched to any competitor", report_html)

    def test_blocked_quotation_page_hides_pending_lines_and_signing(self):
        order = self._blocked_order()
        page, tree = self._portal_page(order)
        rows = self._commitment_rows(
            tree, "//section[@id='journey_commitments']//tbody/tr"
        )
        self.assertEqual([r[0] for r in rows], ["Floor mats"])
        self.assertNotIn(
            "Repairs within 3 days", page, "a line awaiting approval is never shown"
        )
        self.assertNotIn(
            "Price matched to any competitor", page, "a rejected line is never shown"
        )
        self.assertNotIn("Too costly", page)
        self.assertNotIn("98765", page)
        # No way to sign or pay, and the customer is told why.
        self.assertFalse(tree.xpath("//form[@id='accept']"))
        self.assertFalse(tree.xpath("//a[@data-bs-target='#modalaccept']"))
        self.assertNotIn("Accept & Sign", _text(tree))
        pending = tree.xpath("//*[@id='journey_commitments_pending']")
        self.assertTrue(pending)
        self.assertIn("completing the list of commitments", _text(pending[0]))

    # ------------------------------------------------------------------
    # Accepting the quotation signs the commitments
    # ------------------------------------------------------------------

    def test_accept_with_token_as_public_user(self):
        order = self._full_order()
        visible = order._get_customer_commitments()
        self.assertEqual(len(visible), 4)
        self._assert_nothing_signed(order)

        result = self._accept(order, access_token=order._portal_ensure_token())

        self.assertFalse(result.get("error"), result)
        self.assertIn("message=sign_ok", result["redirect_url"])
        self.env.invalidate_all()
        self.assertTrue(order.signature)
        self.assertEqual(
            order.state, "sale", "no payment required: the order is confirmed"
        )
        signing = self._assert_signed_once(order, visible, self.public_user, "portal")
        self.assertEqual(signing.name, "Customer Zhao")
        self.assertEqual(signing.company_id, order.company_id)

        # The confirmed order's page shows the commitments as signed, nothing to
        # re-sign.
        page, tree = self._portal_page(order)
        self.assertFalse(tree.xpath("//*[@id='journey_commitments_resign']"))
        self.assertNotIn("To sign", page)

    def test_accept_in_store_as_consultant(self):
        order = self._full_order()
        visible = order._get_customer_commitments()
        token = order._portal_ensure_token()
        self.authenticate("jc_consultant", "jc_consultant")

        result = self._accept(order, access_token=token)

        self.assertFalse(result.get("error"), result)
        self.env.invalidate_all()
        self.assertEqual(order.state, "sale")
        self._assert_signed_once(order, visible, self.consultant, "in_store")

    def test_accept_as_own_portal_user_without_token(self):
        order = self._full_order(partner=self.partner_portal)
        # Odoo shows a portal user the orders they follow (as when the quotation is
        # sent).
        order.message_subscribe(self.partner_portal.ids)
        visible = order._get_customer_commitments()
        self.authenticate("portal", "portal")

        result = self._accept(order, name="Joel Willis")

        self.assertFalse(result.get("error"), result)
        signing = self._assert_signed_once(order, visible, self.user_portal, "portal")
        self.assertEqual(signing.partner_id, self.partner_portal)
        self.assertEqual(signing.name, "Joel Willis")

    def test_accept_wrong_token_or_other_customer(self):
        order = self._full_order()
        order._portal_ensure_token()

        result = self._accept(order, access_token="not-the-token")
        self.assertEqual(result.get("error"), "Invalid order.")
        self._assert_nothing_signed(order)

        result = self._accept(order, access_token=None)
        self.assertEqual(result.get("error"), "Invalid order.")
        self._assert_nothing_signed(order)

        # A portal user of another customer cannot sign this customer's order...
        self.authenticate("portal", "portal")
        result = self._accept(order)
        self.assertEqual(result.get("error"), "Invalid order.")
        self._assert_nothing_signed(order)
        # ... nor open its page.
        response = self.url_open(f"/my/orders/{order.id}", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertNotIn("Floor mats", response.text)

    def test_blocked_quotation_cannot_be_signed_or_paid(self):
        not_declared = self._full_order(require_payment=True, prepayment_percent=1.0)
        self._add_commitment(not_declared, self.type_mats, "Second set of mats")
        self.assertFalse(not_declared.commitments_declared)

        awaiting = self._create_order(require_payment=True, prepayment_percent=1.0)
        self._add_commitment(awaiting, self.type_mats, "Floor mats")
        self._add_commitment(awaiting, self.type_repairs, "Repairs within 3 days")
        awaiting.with_user(self.consultant).action_declare_commitments()
        self.assertTrue(awaiting.commitments_declared)

        for order in (not_declared, awaiting):
            with self.subTest(order=order.name):
                token = order._portal_ensure_token()
                self.assertTrue(order._get_commitment_blocking_reasons())
                page, tree = self._portal_page(order)
                self.assertFalse(tree.xpath("//form[@id='accept']"))
                self.assertFalse(tree.xpath("//*[@id='o_sale_portal_paynow']"))
                self.assertFalse(tree.xpath("//a[@data-bs-target='#modalaccept']"))
                for label in ("Accept & Sign", "Sign & Pay", "Accept & Pay", "Pay Now"):
                    self.assertNotIn(label, _text(tree))
                self.assertTrue(tree.xpath("//*[@id='journey_commitments_pending']"))

                result = self._accept(order, access_token=token)
                self.assertTrue(result.get("error"), result)
                self._assert_nothing_signed(order)

                # The re-signing route does not sign a quotation either.
                result = self._sign_changes(order, access_token=token)
                self.assertTrue(result.get("error"), result)
                self._assert_nothing_signed(order)

                with mute_logger("odoo.http"):
                    answer = self._jsonrpc(
                        f"/my/orders/{order.id}/transaction",
                        self._transaction_params(order, token),
                    )
                self.assertIn("error", answer, answer)
                self.assertEqual(
                    answer["error"]["data"]["name"], "odoo.exceptions.ValidationError"
                )
                self.assertIn("cannot be paid yet", answer["error"]["data"]["message"])
                self.assertFalse(order.transaction_ids, "no transaction is created")
                self._assert_nothing_signed(order)

    def test_ready_quotation_can_be_paid(self):
        """The same payment request passes once the checklist is complete."""
        order = self._full_order(require_payment=True, prepayment_percent=1.0)
        token = order._portal_ensure_token()
        page, tree = self._portal_page(order)
        self.assertTrue(
            tree.xpath("//a[@data-bs-target='#modalaccept'][contains(., 'Sign & Pay')]")
        )
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            answer = self._jsonrpc(
                f"/my/orders/{order.id}/transaction",
                self._transaction_params(order, token),
            )
        self.assertIn("result", answer, answer)
        self.env.invalidate_all()
        self.assertEqual(len(order.transaction_ids), 1)

    # ------------------------------------------------------------------
    # Signing again the lines changed after signing
    # ------------------------------------------------------------------

    def test_sign_changed_commitments_after_confirmation(self):
        order = self._full_order()
        token = order._portal_ensure_token()
        self.assertFalse(self._accept(order, access_token=token).get("error"))
        self.env.invalidate_all()
        self.assertEqual(order.state, "sale")
        first_signing = self._signatures(order)
        self.assertEqual(len(first_signing), 1)

        # Nothing to sign yet.
        result = self._sign_changes(order, access_token=token)
        self.assertIn("already signed", result.get("error", ""))

        # The salesperson changes what the customer signed.
        self.mats.with_user(self.consultant).write({"quantity": 2})
        self.env.invalidate_all()
        new_mats = order.commitment_ids.filtered(lambda c: c.name == "Floor mats")
        self.assertEqual(new_mats.previous_version_id, self.mats)
        self.assertFalse(new_mats.signed_on)
        self.assertTrue(order.commitment_resign_needed)

        page, tree = self._portal_page(order)
        resign = tree.xpath("//*[@id='journey_commitments_resign']")
        self.assertTrue(resign, "the portal asks to sign the changed lines")
        self.assertEqual(
            [r[0] for r in self._commitment_rows(resign[0], ".//tbody/tr")],
            ["Floor mats"],
        )
        button = tree.xpath("//*[@id='o_journey_sign_commitments']")
        self.assertTrue(button)
        self.assertIn("Sign the commitments", _text(button[0]))
        self.assertTrue(tree.xpath("//*[@id='modal_journey_commitments']"))

        # A wrong token changes nothing.
        result = self._sign_changes(order, access_token="not-the-token")
        self.assertEqual(result.get("error"), "Invalid order.")
        self.env.invalidate_all()
        self.assertFalse(new_mats.signed_on)
        self.assertEqual(self._signatures(order), first_signing)

        # So does a portal user of another customer.
        self.authenticate("portal", "portal")
        result = self._sign_changes(order)
        self.assertEqual(result.get("error"), "Invalid order.")
        self.env.invalidate_all()
        self.assertFalse(new_mats.signed_on)
        self.assertEqual(self._signatures(order), first_signing)
        self.authenticate(None, None)

        result = self._sign_changes(order, access_token=token)
        self.assertFalse(result.get("error"), result)
        self.assertIn("message=commitments_signed", result["redirect_url"])
        self.env.invalidate_all()
        signings = self._signatures(order)
        self.assertEqual(len(signings), 2)
        second_signing = signings - first_signing
        self.assertEqual(
            second_signing.commitment_ids, new_mats, "exactly the new version"
        )
        self.assertEqual(second_signing.method, "portal")
        self.assertEqual(second_signing.user_id, self.public_user)
        self.assertEqual(second_signing.partner_id, self.customer)
        self.assertEqual(new_mats.signed_on, second_signing.signed_on)
        self.assertEqual(new_mats.signed_fingerprint, new_mats._get_fingerprint())
        self.assertNotEqual(new_mats.signed_fingerprint, self.mats.signed_fingerprint)
        # The signed version and the other lines are untouched.
        self.assertEqual(self.mats.signature_ids, first_signing)
        self.assertEqual(self.dash_cam.signature_ids, first_signing)
        self.assertEqual(self.mats.quantity, 1)
        self.assertFalse(order.commitment_resign_needed)

        page, tree = self._portal_page(
            order, order.get_portal_url(query_string="&message=commitments_signed")
        )
        self.assertFalse(tree.xpath("//*[@id='journey_commitments_resign']"))
        self.assertIn("Your signature of the commitments has been recorded", page)

        # Signing the same versions twice is refused and records nothing.
        result = self._sign_changes(order, access_token=token)
        self.assertIn("already signed", result.get("error", ""))
        self.env.invalidate_all()
        self.assertEqual(self._signatures(order), signings)

    # ------------------------------------------------------------------
    # The customer signs in a real browser
    # ------------------------------------------------------------------

    def test_tour_customer_signs_quotation(self):
        order = self._full_order()
        visible = order._get_customer_commitments()
        # The first tour of a fresh database also builds the asset bundles: be patient.
        self.start_tour(
            order.get_portal_url(),
            "journey_crm_commitment_sign",
            login=None,
            timeout=300,
        )
        self.env.invalidate_all()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.signed_by, "Customer Zhao")
        signing = self._assert_signed_once(order, visible, self.public_user, "portal")
        self.assertEqual(signing.name, "Customer Zhao")
