from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SIGNATURE, JourneyCrmCommon


@tagged("post_install", "-at_install")
class TestCommitmentVersions(JourneyCrmCommon):
    """Signing, and what happens to a signed commitment that changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Signature = cls.env["journey.commitment.signature"]

    def setUp(self):
        super().setUp()
        self.order = self._ready_order().with_env(self.env)
        self.mats = self.order.commitment_ids.filtered(lambda c: c.name == "Floor mats")
        self.dash_cam = self.order.commitment_ids - self.mats

    def _sign_order(self, order=None, name="Zhao Lei"):
        """The customer signs the quotation: Odoo writes the order's signature."""
        order = order or self.order
        order.write(
            {
                "signature": SIGNATURE,
                "signed_by": name,
                "signed_on": fields.Datetime.now(),
            }
        )
        return order.commitment_signature_ids[:1]

    def _versions(self, commitment):
        return self.env["journey.commitment"].search(
            [
                ("order_id", "=", commitment.order_id.id),
                ("type_id", "=", commitment.type_id.id),
            ],
            order="version",
        )

    # ------------------------------------------------------------------
    # Signing
    # ------------------------------------------------------------------

    def test_sign_with_order(self):
        signing = self.order.with_user(self.consultant)._sign_commitments_with_order(
            "Zhao Lei", SIGNATURE
        )
        commitments = self.mats | self.dash_cam
        self.assertEqual(len(signing), 1)
        self.assertEqual(signing.name, "Zhao Lei")
        self.assertEqual(signing.partner_id, self.customer)
        self.assertEqual(signing.order_id, self.order)
        self.assertEqual(signing.method, "in_store", "signed in an employee's session")
        self.assertEqual(signing.user_id, self.consultant)
        self.assertEqual(signing.commitment_ids, commitments)
        self.assertTrue(signing.signature)
        self.assertEqual(signing.company_id, self.company)
        for commitment in commitments:
            self.assertEqual(commitment.signed_on, signing.signed_on)
            self.assertEqual(commitment.signed_fingerprint, commitment.fingerprint)
            self.assertTrue(commitment.is_signed)
            self.assertEqual(commitment.signature_ids, signing)
        self.assertEqual(self.order.commitment_to_sign_count, 0)

    def test_order_signature_signs_commitments(self):
        signing = self._sign_order()
        self.assertEqual(signing.name, "Zhao Lei")
        self.assertEqual(signing.commitment_ids, self.mats | self.dash_cam)
        self.assertTrue(self.mats.signed_on)
        self.assertFalse(self.order.commitment_resign_needed)

    def test_sign_only_what_the_customer_sees(self):
        special = self._add_commitment(
            self.order, self.type_repairs, "Repairs within 3 days"
        )
        signing = self.order._sign_commitments_with_order("Zhao Lei", SIGNATURE)
        self.assertEqual(signing.commitment_ids, self.mats | self.dash_cam)
        self.assertFalse(special.signed_on)
        with self.assertRaisesText(UserError, "Repairs within 3 days"):
            special._sign("Zhao Lei", SIGNATURE, "in_store")

    def test_sign_needs_name_and_signature(self):
        with self.assertRaisesText(UserError, "signature is missing"):
            self.mats._sign("Zhao Lei", False, "in_store")
        with self.assertRaisesText(UserError, "name"):
            self.mats._sign("  ", SIGNATURE, "in_store")
        self.assertFalse(self.mats.signed_on)
        self.assertFalse(self.Signature.search([("order_id", "=", self.order.id)]))

    def test_second_signature_of_same_versions(self):
        self._sign_order()
        with self.assertRaisesText(UserError, "already signed", "Floor mats"):
            self.mats._sign("Zhao Lei", SIGNATURE, "in_store")
        with self.assertRaisesText(UserError, "already signed"):
            # Nothing changed since: nothing to sign again.
            self.order._sign_commitments("Zhao Lei", SIGNATURE)
        self.assertEqual(len(self.order.commitment_signature_ids), 1)

    def test_signature_never_changed_nor_deleted(self):
        signing = self.order._sign_commitments_with_order("Zhao Lei", SIGNATURE)
        with self.assertRaisesText(UserError, "never changed"):
            signing.write({"name": "Someone else"})
        with self.assertRaisesText(UserError, "never changed"):
            signing.sudo().write({"commitment_ids": [Command.clear()]})
        with self.assertRaisesText(UserError, "never deleted"):
            signing.sudo().unlink()
        self.assertEqual(signing.name, "Zhao Lei")
        self.assertEqual(signing.commitment_ids, self.mats | self.dash_cam)

    # ------------------------------------------------------------------
    # New versions
    # ------------------------------------------------------------------

    def _assert_new_version(self, signed, new_values):
        versions = self._versions(signed)
        self.assertEqual(len(versions), 2)
        old, new = versions
        self.assertEqual(old, signed)
        self.assertFalse(old.is_current)
        self.assertEqual(old.next_version_id, new)
        self.assertTrue(old.signed_on)
        self.assertEqual(
            old.signed_fingerprint, old.fingerprint, "the signed version is unchanged"
        )
        self.assertTrue(new.is_current)
        self.assertEqual(new.version, old.version + 1)
        self.assertEqual(new.previous_version_id, old)
        self.assertFalse(new.signed_on)
        self.assertFalse(new.signed_fingerprint)
        self.assertEqual(new.order_id, self.order)
        for field_name, value in new_values.items():
            self.assertEqual(new[field_name], value)
        self.assertIn(new, self.order.commitment_ids)
        self.assertNotIn(
            old, self.order.commitment_ids, "the order lists current versions"
        )
        self.assertEqual(len(self.order.commitment_ids), 2)
        self.assertEqual(self.order.commitment_to_sign_count, 1)
        self.assertTrue(self.order.commitment_resign_needed)
        self.assertIn("sign", " ".join(old.message_ids.mapped("body")))
        return old, new

    def test_edit_signed_text_creates_version(self):
        self._sign_order()
        signed_name = self.mats.name
        self.mats.with_user(self.consultant).write(
            {"name": "Floor mats, all three rows"}
        )
        old, new = self._assert_new_version(
            self.mats, {"name": "Floor mats, all three rows"}
        )
        self.assertEqual(old.name, signed_name)
        self.assertEqual(new.quantity, old.quantity)
        self.assertEqual(new.user_id, self.consultant)

    def test_edit_signed_quantity_creates_version(self):
        self._sign_order()
        self.mats.with_user(self.consultant).quantity = 3
        old, _new = self._assert_new_version(self.mats, {"quantity": 3})
        self.assertEqual(old.quantity, 1)

    def test_edit_signed_due_rule_creates_version(self):
        self._sign_order()
        self.mats.with_user(self.consultant).write(
            {"due_rule": "days_after_delivery", "due_days": 14}
        )
        old, new = self._assert_new_version(
            self.mats, {"due_rule": "days_after_delivery", "due_days": 14}
        )
        self.assertEqual(old.due_rule, "at_delivery")
        self.assertNotEqual(new.date_deadline, old.date_deadline)

    def test_edit_through_order_inline_list(self):
        self._sign_order()
        self.order.with_user(self.consultant).write(
            {
                "commitment_ids": [
                    Command.update(self.mats.id, {"name": "Rubber floor mats"})
                ]
            }
        )
        old, _new = self._assert_new_version(self.mats, {"name": "Rubber floor mats"})
        self.assertEqual(old.name, "Floor mats")

    def test_edit_through_order_form(self):
        self._sign_order()
        with Form(self.order.with_user(self.consultant)) as form:
            # The test Form lists lines in the model's order (newest first).
            with form.commitment_ids.edit(
                self.order.commitment_ids.ids.index(self.mats.id)
            ) as line:
                self.assertEqual(line.name, "Floor mats")
                line.quantity = 2
        old, _new = self._assert_new_version(self.mats, {"quantity": 2})
        self.assertEqual(old.quantity, 1)

    def test_new_version_of_special_goes_back_to_approval(self):
        special = self._add_commitment(
            self.order, self.type_repairs, "Repairs within 3 days"
        )
        special.with_user(self.manager).action_approve()
        self._sign_order()
        self.assertTrue(special.signed_on)
        special.with_user(self.consultant).name = "Repairs within 5 days"
        new = special.next_version_id
        self.assertTrue(new)
        self.assertEqual(
            special.approval_state, "approved", "the signed version stays as it was"
        )
        self.assertEqual(new.approval_state, "to_approve")
        self.assertFalse(new.is_visible_to_customer)

    def test_new_version_keeps_what_was_not_changed(self):
        """A new version carries the signed line's own due rule and policy, not the
        type's."""
        day = fields.Date.today() + timedelta(days=20)
        charger = self._add_commitment(
            self.order, self.type_charger, "Home charger", due_days=10
        )
        tyres = self._add_commitment(
            self.order,
            self.type_mats,
            "Winter tyres",
            due_rule="fixed_date",
            date_deadline=day,
        )
        self.mats.write({"policy": "special", "department": "sales"})
        self.mats.with_user(self.manager).action_approve()
        self._sign_order()
        charger.name = "Home charger (7 kW)"
        tyres.name = "Winter tyres, fitted"
        self.mats.quantity = 2
        new_charger = charger.next_version_id
        new_tyres = tyres.next_version_id
        new_mats = self.mats.next_version_id
        self.assertEqual(
            (new_charger.due_rule, new_charger.due_days), ("days_after_delivery", 10)
        )
        self.assertEqual(new_charger.date_deadline, charger.date_deadline)
        self.assertEqual(
            (new_tyres.due_rule, new_tyres.date_deadline), ("fixed_date", day)
        )
        self.assertEqual(
            new_mats.policy, "special", "a raised policy is never lowered silently"
        )
        self.assertEqual(new_mats.approval_state, "to_approve")
        self.assertEqual(new_mats.department, "sales")

    def test_new_version_edited_again_is_not_versioned(self):
        self._sign_order()
        self.mats.name = "Floor mats, all seats"
        new = self.mats.next_version_id
        new.name = "Floor mats, all seats, black"
        self.assertEqual(
            len(self._versions(self.mats)), 2, "an unsigned version is just edited"
        )
        self.assertEqual(new.name, "Floor mats, all seats, black")

    def test_resign_changed_lines(self):
        first = self._sign_order()
        self.mats.name = "Floor mats, all seats"
        new = self.mats.next_version_id
        second = self.order._sign_commitments("Zhao Lei", SIGNATURE)
        self.assertNotEqual(second, first)
        self.assertEqual(
            second.commitment_ids, new, "only the changed line is signed again"
        )
        self.assertEqual(new.signed_fingerprint, new.fingerprint)
        self.assertFalse(self.order.commitment_resign_needed)
        self.assertEqual(self.order.commitment_to_sign_count, 0)
        self.assertEqual(len(self.order.commitment_signature_ids), 2)

    def test_write_without_signed_change_does_not_version(self):
        self._sign_order()
        fingerprint = self.mats.signed_fingerprint
        self.mats.write(
            {
                "name": "Floor mats",
                "quantity": 1,
                "cost_amount": 120,
                "user_id": self.consultant_2.id,
                "sequence": 3,
            }
        )
        self.assertEqual(len(self._versions(self.mats)), 1)
        self.assertTrue(self.mats.is_current)
        self.assertEqual(self.mats.cost_amount, 120)
        self.assertEqual(self.mats.signed_fingerprint, fingerprint)
        self.assertFalse(self.order.commitment_resign_needed)
        # Surrounding white space is not something the customer reads differently.
        self.mats.name = "Floor mats "
        self.assertEqual(len(self._versions(self.mats)), 1)

    def test_write_superseded_version_refused(self):
        self._sign_order()
        self.mats.name = "Floor mats, all seats"
        old = self.mats
        with self.assertRaisesText(UserError, "replaced by a newer one"):
            old.name = "Sneaky change"
        with self.assertRaisesText(UserError, "replaced by a newer one"):
            old.quantity = 9
        self.assertEqual(old.name, "Floor mats")
        self.assertEqual(len(self._versions(old)), 2)

    # ------------------------------------------------------------------
    # Deleting and cancelling
    # ------------------------------------------------------------------

    def test_signed_cannot_be_deleted_but_cancelled(self):
        self._sign_order()
        with self.assertRaisesText(UserError, "Floor mats", "cancel it with a reason"):
            self.mats.with_user(self.consultant).unlink()
        self.assertTrue(self.mats.exists())
        self.mats.write({"cancel_reason": "Customer asked for a discount instead"})
        self.mats.with_user(self.consultant).action_cancel()
        self.assertEqual(self.mats.fulfillment_state, "cancelled")
        self.assertTrue(self.mats.signed_on)
        self.assertTrue(self.mats.is_current)
        self.assertIn(
            "Customer asked for a discount instead",
            " ".join(self.mats.message_ids.mapped("body")),
        )

    def test_superseded_version_cannot_be_deleted(self):
        self._sign_order()
        self.mats.name = "Floor mats, all seats"
        new = self.mats.next_version_id
        with self.assertRaises(UserError):
            self.mats.unlink()
        self.assertTrue(self.mats.exists())
        self.assertEqual(self.mats.next_version_id, new)

    def test_unsigned_can_be_deleted(self):
        self.mats.with_user(self.consultant).unlink()
        self.assertFalse(self.mats.exists())

    def test_delete_order_with_signed_commitments(self):
        self._sign_order()
        order = self.order
        self.assertEqual(order.state, "draft")
        with self.assertRaisesText(UserError, order.name, "signed"):
            order.unlink()
        self.assertTrue(order.exists())
        self.assertTrue(self.mats.exists())
        # Without signed commitments a draft quotation goes, with its commitments.
        unsigned = self._create_order().with_env(self.env)
        mats = self._add_commitment(unsigned, self.type_mats, "Floor mats")
        unsigned.unlink()
        self.assertFalse(unsigned.exists())
        self.assertFalse(mats.exists())

    # ------------------------------------------------------------------
    # Fingerprint
    # ------------------------------------------------------------------

    def test_fingerprint_ignores_computed_date(self):
        self._sign_order()
        fingerprint = self.mats.fingerprint
        deadline = self.mats.date_deadline
        self.order.commitment_date = self.order.commitment_date + timedelta(days=5)
        self.assertNotEqual(self.mats.date_deadline, deadline)
        self.assertEqual(self.mats.fingerprint, fingerprint)
        self.assertTrue(self.mats.is_current, "a computed date is no new version")
        self.assertEqual(len(self._versions(self.mats)), 1)

    def test_fingerprint_includes_explicit_date(self):
        day = fields.Date.today() + timedelta(days=10)
        tyre = self._add_commitment(
            self.order,
            self.type_mats,
            "Winter tyres",
            due_rule="fixed_date",
            date_deadline=day,
        )
        fingerprint = tyre.fingerprint
        tyre.date_deadline = day + timedelta(days=1)
        self.assertNotEqual(tyre.fingerprint, fingerprint)
        tyre.date_deadline = day
        self._sign_order()
        tyre.with_user(self.consultant).date_deadline = day + timedelta(days=5)
        new = tyre.next_version_id
        self.assertTrue(new)
        self.assertEqual(tyre.date_deadline, day)
        self.assertEqual(new.date_deadline, day + timedelta(days=5))

    def test_fingerprint_covers_text_and_quantity(self):
        fingerprint = self.mats.fingerprint
        self.mats.quantity = 2
        self.assertNotEqual(self.mats.fingerprint, fingerprint)
        with_quantity = self.mats.fingerprint
        self.mats.name = "Rubber mats"
        self.assertNotEqual(self.mats.fingerprint, with_quantity)
        self.mats.cost_amount = 99
        self.assertEqual(
            self.mats._get_fingerprint(),
            self.mats.fingerprint,
            "internal cost is not signed",
        )

    def test_signed_delivery_date_moves(self):
        """The delivery date the customer signed for is a promise: moving it is a new
        version."""
        delivery = self._add_commitment(
            self.order, self.type_delivery_date, "Delivery date"
        )
        self._sign_order()
        signed_day = delivery.date_deadline
        self.order.commitment_date = self.order.commitment_date + timedelta(days=7)
        self.assertEqual(delivery.date_deadline, signed_day)
        self.assertFalse(delivery.is_current)
        self.assertEqual(
            delivery.next_version_id.date_deadline, signed_day + timedelta(days=7)
        )
        self.assertTrue(self.order.commitment_resign_needed)
