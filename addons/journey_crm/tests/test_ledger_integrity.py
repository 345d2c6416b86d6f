"""The ledger cannot be talked around: each attack tried from outside, as the
caller of a JSON-RPC request chooses their own context, is refused here.

Every test reproduces one attack with the caller's rights and context
(``with_user(...).with_context(...)`` is what ``/web/dataset/call_kw`` does
with the ``context`` a client sends); ``TestLedgerOverRpc`` sends a few of
them through the real JSON-RPC route.
"""

import json

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import SIGNATURE, JourneyCrmCommon

# Context keys that once switched checks off, and the one Odoo itself uses to
# skip deletion guards while uninstalling a module.
ATTACK_CONTEXT = {
    "journey_commitment_bypass": True,
    "journey_keep_approval": True,
    "_force_unlink": True,
}


@tagged("post_install", "-at_install")
class TestLedgerIntegrity(JourneyCrmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order()
        cls.mats = cls._add_commitment(cls.order, cls.type_mats, "Floor mats")
        cls.repairs = cls._add_commitment(
            cls.order, cls.type_repairs, "Repairs within 3 days"
        )

    def _as(self, record, user):
        """The record as ``user`` calling over JSON-RPC with the attack context."""
        return record.with_user(user).with_context(**ATTACK_CONTEXT)

    def _sign(self, order):
        order.with_user(self.manager).commitment_ids.filtered(
            lambda c: c.approval_state == "to_approve"
        ).action_approve()
        order.with_user(order.user_id).action_declare_commitments()
        # As the portal's signing route writes it, after checking the token.
        order.sudo().write(
            {
                "signature": SIGNATURE,
                "signed_by": "Customer Zhao",
                "signed_on": fields.Datetime.now(),
            }
        )
        return order

    # ------------------------------------------------------------------
    # 1. Context keys sent by the caller switch nothing off
    # ------------------------------------------------------------------

    def test_consultant_cannot_approve_own_special_promise_with_a_context_key(self):
        with self.assertRaisesText(AccessError, "Decided By"):
            self._as(self.repairs, self.consultant).write(
                {"approval_state": "approved", "approved_by_id": self.manager.id}
            )
        with self.assertRaisesText(AccessError, "managers decide"):
            self._as(self.repairs, self.consultant).write(
                {"approval_state": "approved"}
            )
        self.assertEqual(self.repairs.approval_state, "to_approve")
        self.assertFalse(self.repairs.approved_by_id)
        self.order.with_user(self.consultant).action_declare_commitments()
        with self.assertRaisesText(UserError, "awaiting approval"):
            self.order.with_user(self.consultant).action_confirm()
        self.assertEqual(self.order.state, "draft")

    def test_a_manager_approves_through_the_transition_and_is_recorded_as_the_decider(
        self,
    ):
        with self.assertRaisesText(AccessError, "Decided By"):
            self._as(self.repairs, self.manager).write(
                {"approval_state": "approved", "approved_by_id": self.manager_2.id}
            )
        # The same transition as the Approve button, written directly: it is
        # checked and stamped with the manager who wrote it.
        self._as(self.repairs, self.manager).write({"approval_state": "approved"})
        self.assertEqual(self.repairs.approval_state, "approved")
        self.assertEqual(self.repairs.approved_by_id, self.manager)
        self.assertIn("approved", self.repairs.message_ids[0].body)
        with self.assertRaisesText(UserError, "not awaiting approval"):
            self._as(self.repairs, self.manager_2).write({"approval_state": "rejected"})
        with self.assertRaisesText(UserError, "decision"):
            self._as(self.mats, self.manager).write({"approval_state": "not_required"})

    def test_context_key_does_not_rewrite_a_signed_promise_in_place(self):
        self._sign(self.order)
        signed_fingerprint = self.mats.signed_fingerprint
        self._as(self.mats, self.consultant).write({"name": "Floor mats, front only"})
        self.assertEqual(
            self.mats.name, "Floor mats", "the signed version is kept as signed"
        )
        self.assertEqual(self.mats.signed_fingerprint, signed_fingerprint)
        self.assertEqual(self.mats.fingerprint, signed_fingerprint)
        self.assertFalse(self.mats.is_current)
        new_version = self.mats.next_version_id
        self.assertEqual(
            (new_version.version, new_version.name), (2, "Floor mats, front only")
        )
        self.assertFalse(
            new_version.signed_on, "the customer must sign the new version"
        )

    def test_create_with_a_context_key_starts_open_unapproved_and_unsigned(self):
        Commitment = self._as(self.env["journey.commitment"], self.consultant)
        values = {
            "order_id": self.order.id,
            "type_id": self.type_repairs.id,
            "name": "Parts in 24 h",
        }
        for forged in (
            {"approval_state": "approved"},
            {"approved_by_id": self.manager.id},
            {"signed_on": fields.Datetime.now()},
            {"version": 3},
            {"is_current": False},
            {"fulfillment_state": "fulfilled"},
            {"uses_done": 2},
            {"customer_consent": True},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Commitment.create(dict(values, **forged))
        created = Commitment.create(values)
        self.assertEqual(
            created.approval_state, "to_approve", "a special promise awaits approval"
        )
        self.assertFalse(created.signed_on)

    def test_ledger_fields_are_never_written_by_a_caller(self):
        self._sign(self.order)
        forged_values = {
            "signed_on": False,
            "signed_fingerprint": "forged",
            "signature_ids": [Command.clear()],
            "version": 7,
            "is_current": False,
            "next_version_id": self.repairs.id,
            "uses_done": 3,
            "fulfilled_by_id": self.delivery.id,
            "approved_on": fields.Datetime.now(),
        }
        for user in (self.consultant, self.manager, self.cx_manager):
            for name, value in forged_values.items():
                with (
                    self.subTest(user=user.login, field=name),
                    self.assertRaises(AccessError),
                ):
                    self._as(self.mats, user).write({name: value})
        self.assertTrue(self.mats.signed_on)
        self.assertEqual((self.mats.version, self.mats.is_current), (1, True))

    # ------------------------------------------------------------------
    # 2. A signed promise stays with the customer who signed it
    # ------------------------------------------------------------------

    def test_signed_promise_does_not_move_to_another_customer_or_document(self):
        self._sign(self.order)
        other_order = self._create_order(partner=self.other_customer)
        lead = self.env["crm.lead"].create(
            {"name": "Other", "partner_id": self.other_customer.id}
        )
        for values in (
            {"order_id": other_order.id},
            {"partner_id": self.other_customer.id},
            {"lead_id": lead.id},
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesText(UserError, "cannot move"),
            ):
                self._as(self.mats, self.consultant).write(values)
        with self.assertRaisesText(UserError, "another customer"):
            self.order.with_user(self.consultant).write(
                {"partner_id": self.other_customer.id}
            )
        self.assertEqual(self.mats.order_id, self.order)
        self.assertEqual(self.mats.partner_id, self.customer)

    # ------------------------------------------------------------------
    # 3. Signed promises and signatures survive any unlink but an uninstall
    # ------------------------------------------------------------------

    @mute_logger("odoo.models.unlink")
    def test_force_unlink_context_does_not_delete_signed_promises(self):
        self._sign(self.order)
        signing = self.order.commitment_signature_ids
        with self.assertRaisesText(UserError, "cannot be deleted"):
            self._as(self.mats, self.consultant).unlink()
        with self.assertRaisesText(UserError, "cannot be deleted"):
            self._as(self.order, self.consultant).unlink()
        with self.assertRaises(AccessError):
            self._as(signing, self.cx_manager).unlink()
        # Not even code running as superuser, outside a module uninstall.
        with self.assertRaisesText(UserError, "never deleted"):
            signing.sudo().unlink()
        self.assertTrue(self.mats.exists())
        self.assertTrue(signing.exists())

    @mute_logger("odoo.models.unlink")
    def test_kept_promise_keeps_its_history(self):
        self.mats.sudo().fulfillment_state = "fulfilled"
        with self.assertRaisesText(UserError, "history is kept"):
            self._as(self.mats, self.consultant).unlink()

    # ------------------------------------------------------------------
    # 6. Fulfilment by a plain write: the same rules, the roles that fulfil
    # ------------------------------------------------------------------

    def test_consultant_cannot_mark_promises_kept_or_waived(self):
        for values in (
            {"fulfillment_state": "fulfilled"},
            {
                "fulfillment_state": "waived",
                "customer_consent": True,
                "waive_reason": "Gift",
            },
            {
                "fulfillment_state": "deferred",
                "customer_consent": True,
                "date_deferred": fields.Date.add(fields.Date.today(), days=10),
            },
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesText(AccessError, "delivery specialists"),
            ):
                self._as(self.mats, self.consultant).write(values)
        for values in ({"customer_consent": True}, {"waive_reason": "Gift"}):
            with (
                self.subTest(values=values),
                self.assertRaisesText(UserError, "with the decision"),
            ):
                self._as(self.mats, self.consultant).write(values)
        self.assertEqual(self.mats.fulfillment_state, "open")
        self.assertFalse(self.mats.customer_consent)

    def test_cancelling_needs_a_reason_and_a_closed_promise_is_frozen(self):
        with self.assertRaisesText(UserError, "reason"):
            self._as(self.mats, self.consultant).write(
                {"fulfillment_state": "cancelled"}
            )
        self.mats.with_user(self.consultant).action_cancel(
            reason="Customer bought their own"
        )
        self.assertEqual(self.mats.fulfillment_state, "cancelled")
        for values in (
            {"name": "Floor mats again"},
            {"fulfillment_state": "cancelled", "cancel_reason": "Another reason"},
            {"cancel_reason": "Rewritten"},
            {"cost_amount": 1.0},
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesText(UserError, "no longer be changed"),
            ):
                self._as(self.mats, self.consultant).write(values)
        self.assertEqual(self.mats.cancel_reason, "Customer bought their own")

    def test_delivery_and_service_do_not_change_what_was_promised(self):
        with self.assertRaisesText(
            AccessError, "Only the salesperson and the managers"
        ):
            self.mats.with_user(self.delivery).write({"name": "Floor mats (used)"})

    # ------------------------------------------------------------------
    # The order's declaration, signature and checklist obligation
    # ------------------------------------------------------------------

    def test_order_declaration_and_signature_change_only_through_their_steps(self):
        order = self.order.with_user(self.consultant).with_context(**ATTACK_CONTEXT)
        with self.assertRaisesText(AccessError, "Declared By"):
            order.write({"commitments_declared_by_id": self.manager.id})
        with self.assertRaisesText(AccessError, "signs the quotation"):
            order.write({"signature": SIGNATURE, "signed_by": "Forged"})
        with self.assertRaisesText(AccessError, "sales manager"):
            order.write({"commitment_required": False})
        with self.assertRaisesText(AccessError, "sales manager"):
            self.env["sale.order"].with_user(self.consultant).create(
                {"partner_id": self.customer.id, "commitment_required": False}
            )
        # Declaring by a plain write runs the same checks as the button.
        self.repairs.with_user(self.manager).action_reject(
            reason="Battery packs take 10 days"
        )
        with self.assertRaisesText(UserError, "rejected commitments"):
            order.write({"commitments_declared": True})
        self.assertFalse(self.order.commitments_declared)
        self.assertFalse(self.order.signature)
        self.assertTrue(self.order.commitment_required)

    # ------------------------------------------------------------------
    # 10, 11. What customers read in the portal
    # ------------------------------------------------------------------

    def test_customers_do_not_read_internal_guidance_or_staff_notes(self):
        portal = self.env["res.users"].create(
            {
                "name": "Customer Zhao",
                "login": "jc_portal_zhao",
                "partner_id": self.customer.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        self.customer.write(
            {"customer_needs": "Seven seats", "customer_concerns": "Haggles hard"}
        )
        with self.assertRaises(AccessError):
            self.type_repairs.with_user(portal).read(["description"])
        with self.assertRaises(AccessError):
            self.env["journey.commitment.type"].with_user(portal).search_read(
                [], ["name"]
            )
        with self.assertRaises(AccessError):
            self.customer.with_user(portal).read(["customer_needs"])
        with self.assertRaises(AccessError):
            self.customer.with_user(portal).read(["customer_concerns"])
        # Their own contact stays readable.
        self.assertEqual(
            self.customer.with_user(portal).read(["name"])[0]["name"], "Customer Zhao"
        )


@tagged("post_install", "-at_install")
class TestLedgerOverRpc(HttpCase, JourneyCrmCommon):
    """The same attacks through Odoo's JSON-RPC route, with the caller's context."""

    def _call_kw(self, model, method, args, context):
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps(
                {
                    "id": 0,
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {"context": context},
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        return response.json()

    def _assert_refused(self, answer, exception="odoo.exceptions.AccessError"):
        self.assertNotIn("result", answer)
        self.assertEqual(answer["error"]["data"]["name"], exception)

    @mute_logger("odoo.http")
    def test_consultant_over_json_rpc(self):
        order = self._create_order()
        mats = self._add_commitment(order, self.type_mats, "Floor mats")
        repairs = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        self.authenticate("jc_consultant", "jc_consultant")
        self._assert_refused(
            self._call_kw(
                "journey.commitment",
                "write",
                [
                    repairs.ids,
                    {"approval_state": "approved", "approved_by_id": self.manager.id},
                ],
                {"journey_commitment_bypass": True},
            )
        )
        self._assert_refused(
            self._call_kw(
                "journey.commitment",
                "create",
                [
                    [
                        {
                            "order_id": order.id,
                            "type_id": self.type_mats.id,
                            "name": "Mats",
                            "approval_state": "approved",
                            "signed_on": "2026-01-01 00:00:00",
                        }
                    ]
                ],
                {"journey_keep_approval": True},
            )
        )
        self._assert_refused(
            self._call_kw(
                "journey.commitment",
                "write",
                [mats.ids, {"fulfillment_state": "fulfilled"}],
                {"journey_commitment_bypass": True},
            )
        )
        # Signed, then deleted with the key Odoo uses while uninstalling a module.
        repairs.sudo().unlink()
        order.with_user(self.consultant).action_declare_commitments()
        order.sudo().write({"signature": SIGNATURE, "signed_by": "Customer Zhao"})
        self.assertTrue(mats.signed_on)
        self._assert_refused(
            self._call_kw(
                "journey.commitment", "unlink", [mats.ids], {"_force_unlink": True}
            ),
            "odoo.exceptions.UserError",
        )
        self.env.invalidate_all()
        self.assertTrue(mats.exists())
        self.assertEqual(mats.fulfillment_state, "open")
        self.assertEqual(
            self.env["journey.commitment"].search_count([("order_id", "=", order.id)]),
            1,
        )
