from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import JourneyCrmCommon


@tagged("post_install", "-at_install")
class TestSaleOrderConfirmation(JourneyCrmCommon):
    """An order is not confirmed before its commitment checklist allows it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["payment.provider"].create(
            {
                "name": "Journey Test Provider",
                "code": "none",
                "state": "test",
                "is_published": True,
                "company_id": cls.company.id,
                "payment_method_ids": [
                    Command.set(cls.env.ref("payment.payment_method_unknown").ids)
                ],
            }
        )
        cls.env.ref("payment.payment_method_unknown").write({"active": True})

    def _order(self, **values):
        return self._create_order(**values).with_env(self.env)

    def _confirm_error(self, order):
        with self.assertRaises(UserError) as catcher:
            order.with_user(order.user_id).action_confirm()
        self.assertIn(order.state, ("draft", "sent"))
        return str(catcher.exception.args[0])

    # ------------------------------------------------------------------
    # The confirmation check
    # ------------------------------------------------------------------

    def test_blocked_until_declared(self):
        order = self._order()
        self._add_commitment(order, self.type_mats, "Floor mats")
        self.assertFalse(order.commitments_declared)
        message = self._confirm_error(order)
        self.assertIn(order.name, message)
        self.assertIn("not declared the commitment checklist complete", message)
        # An order without any promise must be declared too: "no promises" is a
        # statement.
        empty = self._order()
        self.assertIn("not declared", self._confirm_error(empty))
        empty.with_user(self.consultant).action_declare_commitments()
        empty.with_user(self.consultant).action_confirm()
        self.assertEqual(empty.state, "sale")

    def test_declaration_records_who_and_when(self):
        order = self._order()
        self._add_commitment(order, self.type_mats, "Floor mats")
        order.with_user(self.consultant).action_declare_commitments()
        self.assertTrue(order.commitments_declared)
        self.assertEqual(order.commitments_declared_by_id, self.consultant)
        self.assertTrue(order.commitments_declared_on)
        self.assertIn(
            "declared the commitment checklist complete", order.message_ids[0].body
        )

    def test_confirm_when_declared(self):
        order = self._ready_order().with_env(self.env)
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_error_names_each_blocking_line(self):
        order = self._order()
        self._add_commitment(order, self.type_mats, "Floor mats")
        self._add_commitment(order, self.type_repairs, "Repairs within 3 days")
        rejected = self._add_commitment(
            order, self.type_repairs, "Parts within 24 hours"
        )
        rejected.with_user(self.manager).action_reject(
            reason="Met only 62% of the time"
        )
        order.sudo().commitments_declared = (
            True  # the rejected line prevents declaring it normally
        )
        message = self._confirm_error(order)
        self.assertIn('"Repairs within 3 days" is awaiting approval', message)
        self.assertIn('"Parts within 24 hours" was rejected', message)
        self.assertNotIn("Floor mats", message)
        self.assertNotIn("not declared", message)

    def test_confirm_after_approval(self):
        order = self._order()
        special = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        order.with_user(self.consultant).action_declare_commitments()
        self.assertIn("Repairs within 3 days", self._confirm_error(order))
        special.with_user(self.manager).action_approve()
        self.assertTrue(
            order.commitments_declared, "an approval does not change the list"
        )
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_cancelled_special_does_not_block(self):
        order = self._order()
        special = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        special.write({"cancel_reason": "Customer does not need it"})
        special.action_cancel()
        order.with_user(self.consultant).action_declare_commitments()
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_blocked_order_in_a_batch(self):
        ready = self._ready_order().with_env(self.env)
        blocked = self._order()
        with self.assertRaisesText(UserError, blocked.name):
            (ready | blocked).action_confirm()
        self.assertEqual(
            ready.state, "draft", "nothing is confirmed when one order is blocked"
        )

    # ------------------------------------------------------------------
    # Declaration
    # ------------------------------------------------------------------

    def test_declaration_cleared_by_any_change(self):
        def add(order, mats):
            self._add_commitment(order, self.type_charger, "Home charger")

        def edit_text(order, mats):
            mats.with_user(self.consultant).name = "Floor mats, all seats"

        def edit_quantity(order, mats):
            order.with_user(self.consultant).write(
                {"commitment_ids": [Command.update(mats.id, {"quantity": 4})]}
            )

        def delete(order, mats):
            mats.with_user(self.consultant).unlink()

        def cancel(order, mats):
            mats.write({"cancel_reason": "Out of stock"})
            mats.with_user(self.consultant).action_cancel()

        def raise_policy(order, mats):
            mats.with_user(self.consultant).policy = "special"

        for change in (add, edit_text, edit_quantity, delete, cancel, raise_policy):
            with self.subTest(change=change.__name__):
                order = self._ready_order().with_env(self.env)
                self.assertTrue(order.commitments_declared)
                mats = order.commitment_ids.filtered(lambda c: c.name == "Floor mats")
                change(order, mats)
                self.assertFalse(order.commitments_declared)
                self.assertFalse(order.commitments_declared_by_id)
                self.assertIn("declare it again", order.message_ids[0].body)
                self.assertIn("not declared", self._confirm_error(order))

    def test_declaration_kept_by_internal_changes(self):
        order = self._ready_order().with_env(self.env)
        mats = order.commitment_ids.filtered(lambda c: c.name == "Floor mats")
        mats.with_user(self.consultant).cost_amount = 150
        self.assertTrue(
            order.commitments_declared, "the customer's list did not change"
        )

    def test_declaration_kept_after_confirmation(self):
        order = self._ready_order().with_env(self.env)
        order.action_confirm()
        self._add_commitment(order, self.type_charger, "Home charger")
        self.assertTrue(order.commitments_declared)
        self.assertEqual(order.state, "sale")

    def test_declare_refuses_rejected(self):
        order = self._order()
        rejected = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        rejected.with_user(self.manager).action_reject(
            reason="Battery repairs take 10 days"
        )
        with self.assertRaisesText(UserError, "Repairs within 3 days"):
            order.with_user(self.consultant).action_declare_commitments()
        self.assertFalse(order.commitments_declared)
        # Once the rejected line is cancelled, the list can be declared.
        rejected.write({"cancel_reason": "Rejected by after-sales"})
        rejected.action_cancel()
        order.with_user(self.consultant).action_declare_commitments()
        self.assertTrue(order.commitments_declared)

    def test_declare_only_quotations(self):
        order = self._ready_order().with_env(self.env)
        order.action_confirm()
        with self.assertRaisesText(UserError, order.name):
            order.action_declare_commitments()

    # ------------------------------------------------------------------
    # Portal sign and pay
    # ------------------------------------------------------------------

    def test_sign_and_pay_off_while_blocked(self):
        order = self._order(require_signature=True, require_payment=True)
        special = self._add_commitment(
            order, self.type_repairs, "Repairs within 3 days"
        )
        self.assertFalse(order._has_to_be_signed())
        self.assertFalse(order._has_to_be_paid())
        order.with_user(self.consultant).action_declare_commitments()
        self.assertFalse(order._has_to_be_signed(), "still awaiting approval")
        self.assertFalse(order._has_to_be_paid())
        special.with_user(self.manager).action_approve()
        self.assertTrue(order._has_to_be_signed())
        self.assertTrue(order._has_to_be_paid())
        # A change clears the declaration: off again.
        self._add_commitment(order, self.type_mats, "Floor mats")
        self.assertFalse(order._has_to_be_signed())
        self.assertFalse(order._has_to_be_paid())

    # ------------------------------------------------------------------
    # Settings
    # ------------------------------------------------------------------

    def test_company_setting_off(self):
        self.company.journey_commitment_required = False
        order = self._order()
        self.assertFalse(order.commitment_required)
        self._add_commitment(order, self.type_repairs, "Repairs within 3 days")
        self.assertTrue(order._has_to_be_signed())
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")
        # The setting is shown in the sales settings.
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.journey_commitment_required)

    def test_company_setting_on_by_default(self):
        self.assertTrue(self._order().commitment_required)

    def test_order_flag_off(self):
        order = self._order()
        order.commitment_required = False
        self._add_commitment(order, self.type_repairs, "Repairs within 3 days")
        self.assertTrue(order._has_to_be_signed())
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    # ------------------------------------------------------------------
    # Online payment
    # ------------------------------------------------------------------

    def _pay(self, order):
        """The customer pays the whole order online; the provider reports it done."""
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self.provider.id,
                    "payment_method_id": self.env.ref(
                        "payment.payment_method_unknown"
                    ).id,
                    "amount": order.amount_total,
                    "currency_id": order.currency_id.id,
                    "partner_id": order.partner_id.id,
                    "reference": f"{order.name}-pay",
                    "operation": "online_redirect",
                    "sale_order_ids": [Command.set(order.ids)],
                }
            )
        )
        with mute_logger("odoo.addons.payment.models.payment_transaction"):
            tx._set_done()
        # What sale's post-processing of a done or authorized transaction does (the
        # rest of it creates the accounting payment, which needs a real provider).
        tx._check_amount_and_confirm_order()
        return tx

    def test_payment_on_blocked_order(self):
        order = self._order(require_signature=False, require_payment=True)
        self._add_commitment(order, self.type_repairs, "Repairs within 3 days")
        order.with_user(self.consultant).action_declare_commitments()
        tx = self._pay(order)
        self.assertEqual(
            order.state, "draft", "a payment does not get around the checklist"
        )
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.exists())
        self.assertEqual(order.amount_paid, order.amount_total, "the payment is kept")
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("A payment was received, but the order was not confirmed", bodies)
        self.assertIn("Repairs within 3 days", bodies)
        self.assertIn(
            self.consultant, order.activity_ids.user_id, "the salesperson is told"
        )
        # The salesperson finishes the checklist and confirms.
        order.commitment_ids.with_user(self.manager).action_approve()
        order.with_user(self.consultant).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_payment_on_ready_order_confirms(self):
        order = self._ready_order(
            require_signature=False, require_payment=True
        ).with_env(self.env)
        self.assertTrue(order._has_to_be_paid())
        tx = self._pay(order)
        self.assertEqual(tx.state, "done")
        self.assertEqual(order.state, "sale")

    def test_check_amount_and_confirm_order(self):
        blocked = self._order(require_payment=True)
        ready = self._ready_order(require_payment=True).with_env(self.env)
        txs = self.env["payment.transaction"]
        for order in (blocked, ready):
            txs |= (
                self.env["payment.transaction"]
                .sudo()
                .create(
                    {
                        "provider_id": self.provider.id,
                        "payment_method_id": self.env.ref(
                            "payment.payment_method_unknown"
                        ).id,
                        "amount": order.amount_total,
                        "currency_id": order.currency_id.id,
                        "partner_id": order.partner_id.id,
                        "reference": f"{order.name}-direct",
                        "operation": "online_redirect",
                        "sale_order_ids": [Command.set(order.ids)],
                        "state": "done",
                    }
                )
            )
        confirmed = txs._check_amount_and_confirm_order()
        self.assertEqual(confirmed, ready)
        self.assertEqual(blocked.state, "draft")
        self.assertEqual(ready.state, "sale")

    # ------------------------------------------------------------------
    # Counters
    # ------------------------------------------------------------------

    def test_counters(self):
        order = self._order()
        self._add_commitment(order, self.type_mats, "Floor mats")
        self._add_commitment(order, self.type_repairs, "Repairs within 3 days")
        fulfilled = self._add_commitment(order, self.type_dash_cam, "Dash cam")
        fulfilled.sudo().fulfillment_state = "fulfilled"
        cancelled = self._add_commitment(order, self.type_charger, "Home charger")
        cancelled.write({"cancel_reason": "No garage"})
        cancelled.action_cancel()
        self.assertEqual(order.commitment_count, 3)
        self.assertEqual(order.commitment_open_count, 2)
        self.assertEqual(order.commitment_to_approve_count, 1)
        self.assertEqual(
            order.commitment_to_sign_count, 2, "the line awaiting approval is not shown"
        )
        self.assertFalse(order.commitment_resign_needed, "not signed yet")

    def test_counters_query_count(self):
        orders = self.env["sale.order"]
        for index in range(10):
            order = self._order()
            self._add_commitment(order, self.type_mats, f"Floor mats {index}")
            self._add_commitment(order, self.type_repairs, f"Repairs {index}")
            orders |= order
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            counts = [
                (
                    o.commitment_count,
                    o.commitment_open_count,
                    o.commitment_to_approve_count,
                    o.commitment_to_sign_count,
                    o.commitment_resign_needed,
                )
                for o in orders
            ]
        self.assertEqual(counts, [(2, 2, 1, 1, False)] * 10)
        self.env.invalidate_all()
        with self.assertQueryCount(5):
            reasons = [o._get_commitment_blocking_reasons() for o in orders]
        self.assertTrue(all(len(r) == 2 for r in reasons))
        # The customer's smart button: one grouped query, however many partners.
        partners = self.customer | self.other_customer
        self.env.invalidate_all()
        with self.assertQueryCount(4):
            self.assertEqual(partners.mapped("commitment_count"), [20, 0])
