from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import JourneyCrmCommon

APPROVAL_ACTIVITY = "journey_crm.mail_act_commitment_approval"


@tagged("post_install", "-at_install")
class TestCommitmentApproval(JourneyCrmCommon):
    """Special commitments: approval by the after-sales managers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order()
        cls.approval_type = cls.env.ref(APPROVAL_ACTIVITY)
        cls.approvers = cls.env.ref(
            "journey_crm.group_aftersales_manager"
        ).users.filtered(
            lambda u: u.active and not u.share and cls.company in u.company_ids
        )

    def _approval_activities(self, commitment):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "journey.commitment"),
                ("res_id", "=", commitment.id),
                ("activity_type_id", "=", self.approval_type.id),
            ]
        )

    def _special(self, name="Repairs within 3 days", order=None):
        return self._add_commitment(order or self.order, self.type_repairs, name)

    def _reason_wizard(self, action, user, reason):
        self.assertEqual(action["res_model"], "journey.commitment.reason.wizard")
        wizard_form = Form(
            self.env["journey.commitment.reason.wizard"]
            .with_user(user)
            .with_context(**action["context"])
        )
        wizard_form.reason = reason
        return wizard_form.save()

    # ------------------------------------------------------------------
    # Activities
    # ------------------------------------------------------------------

    def test_one_activity_per_manager(self):
        special = self._special()
        self.assertEqual(special.approval_state, "to_approve")
        self.assertFalse(special.is_visible_to_customer)
        activities = self._approval_activities(special)
        self.assertEqual(
            len(activities), len(activities.user_id), "one activity per manager"
        )
        self.assertIn(self.manager, activities.user_id)
        self.assertIn(self.manager_2, activities.user_id)
        self.assertIn(
            self.cx_manager, activities.user_id, "a CX manager is an approver too"
        )
        for user in (self.consultant, self.consultant_2, self.delivery, self.advisor):
            self.assertNotIn(user, activities.user_id)
        self.assertEqual(activities.user_id, self.approvers)
        # A standard promise needs nobody.
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        self.assertEqual(mats.approval_state, "not_required")
        self.assertFalse(self._approval_activities(mats))

    def test_manager_as_salesperson_gets_no_activity(self):
        order = self._create_order(user=self.manager)
        special = self._special(order=order)
        activities = self._approval_activities(special)
        self.assertNotIn(self.manager, activities.user_id)
        self.assertIn(self.manager_2, activities.user_id)
        # They cannot approve their own promise, another manager can.
        with self.assertRaisesText(UserError, "Repairs within 3 days"):
            special.with_user(self.manager).action_approve()
        self.assertEqual(special.approval_state, "to_approve")
        special.with_user(self.manager_2).action_approve()
        self.assertEqual(special.approval_state, "approved")

    def test_other_company_manager_gets_no_activity(self):
        foreign_manager = self.env["res.users"].create(
            {
                "name": "Foreign Manager",
                "login": "jc_foreign_manager",
                "company_id": self.other_company.id,
                "company_ids": [(6, 0, self.other_company.ids)],
                "groups_id": [
                    (
                        6,
                        0,
                        [
                            self.env.ref("journey_crm.group_aftersales_manager").id,
                            self.env.ref("base.group_user").id,
                        ],
                    )
                ],
            }
        )
        special = self._special()
        self.assertNotIn(foreign_manager, self._approval_activities(special).user_id)

    # ------------------------------------------------------------------
    # Approve
    # ------------------------------------------------------------------

    def test_approve_closes_every_activity(self):
        special = self._special()
        self.assertGreater(len(self._approval_activities(special)), 1)
        special.with_user(self.manager).action_approve()
        self.assertEqual(special.approval_state, "approved")
        self.assertEqual(special.approved_by_id, self.manager)
        self.assertTrue(special.approved_on)
        self.assertTrue(special.is_visible_to_customer)
        self.assertFalse(
            self._approval_activities(special), "the others' activities close too"
        )
        self.assertIn("approved", " ".join(special.message_ids.mapped("body")))

    def test_cx_manager_approves(self):
        special = self._special()
        special.with_user(self.cx_manager).action_approve()
        self.assertEqual(special.approval_state, "approved")
        self.assertEqual(special.approved_by_id, self.cx_manager)

    def test_salesperson_cannot_approve(self):
        special = self._special()
        for user in (self.consultant, self.consultant_2, self.delivery, self.advisor):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                special.with_user(user).action_approve()
        self.assertEqual(special.approval_state, "to_approve")
        with self.assertRaises(AccessError):
            special.with_user(self.consultant).write({"rejection_reason": "No"})
            special.with_user(self.consultant).action_reject()
        self.assertEqual(special.approval_state, "to_approve")
        self.assertTrue(self._approval_activities(special))

    def test_creator_cannot_approve(self):
        """A manager who wrote the promise on a consultant's order does not decide on
        it."""
        special = self._add_commitment(
            self.order, self.type_repairs, "Parts in 24h", user=self.manager
        )
        self.assertEqual(special.create_uid, self.manager)
        self.assertNotIn(self.manager, self._approval_activities(special).user_id)
        with self.assertRaisesText(UserError, "Parts in 24h"):
            special.with_user(self.manager).action_approve()

    def test_approve_not_awaiting(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        with self.assertRaisesText(UserError, "Floor mats is not awaiting approval"):
            mats.with_user(self.manager).action_approve()
        special = self._special()
        special.with_user(self.manager).action_approve()
        with self.assertRaisesText(
            UserError, "Repairs within 3 days is not awaiting approval"
        ):
            special.with_user(self.manager_2).action_approve()
        self.assertEqual(special.approved_by_id, self.manager)

    # ------------------------------------------------------------------
    # Reject
    # ------------------------------------------------------------------

    def test_reject_needs_a_reason(self):
        special = self._special()
        action = special.with_user(self.manager).action_reject()
        self.assertIsInstance(action, dict)
        self.assertEqual(action["res_model"], "journey.commitment.reason.wizard")
        self.assertEqual(special.approval_state, "to_approve", "no reason, no decision")
        wizard = self._reason_wizard(action, self.manager, "   ")
        with self.assertRaisesText(UserError, "Give the reason"):
            wizard.action_confirm()
        self.assertEqual(special.approval_state, "to_approve")
        self.assertTrue(self._approval_activities(special))

    def test_reject_with_reason(self):
        special = self._special()
        action = special.with_user(self.manager).action_reject()
        wizard = self._reason_wizard(
            action, self.manager, "Battery-pack repairs take up to 10 days"
        )
        wizard.action_confirm()
        self.assertEqual(special.approval_state, "rejected")
        self.assertEqual(special.approved_by_id, self.manager)
        self.assertFalse(special.is_visible_to_customer)
        self.assertFalse(self._approval_activities(special))
        # The salesperson sees why, and is told.
        as_salesperson = special.with_user(self.consultant)
        self.assertEqual(
            as_salesperson.rejection_reason, "Battery-pack repairs take up to 10 days"
        )
        todo = self.env["mail.activity"].search(
            [
                ("res_model", "=", "journey.commitment"),
                ("res_id", "=", special.id),
                ("user_id", "=", self.consultant.id),
            ]
        )
        self.assertEqual(len(todo), 1)
        self.assertIn("Battery-pack repairs take up to 10 days", str(todo.note))
        self.assertIn(
            "Battery-pack repairs take up to 10 days",
            " ".join(special.message_ids.mapped("body")),
        )

    def test_reject_wizard_needs_a_manager(self):
        special = self._special()
        action = special._open_reason_wizard("reject")
        wizard = self._reason_wizard(action, self.consultant, "I changed my mind")
        with self.assertRaises(AccessError):
            wizard.action_confirm()
        self.assertEqual(special.approval_state, "to_approve")
        self.assertFalse(special.rejection_reason)

    def test_edit_rejected_goes_back_to_approval(self):
        special = self._special()
        special.with_user(self.manager).action_reject(reason="Never 3 days")
        self.assertEqual(special.approval_state, "rejected")
        special.with_user(self.consultant).name = "Repairs within 10 days"
        self.assertEqual(special.approval_state, "to_approve")
        self.assertFalse(special.rejection_reason)
        self.assertTrue(self._approval_activities(special))

    def test_customer_sees_only_decided_lines(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        waiting = self._special("Repairs within 3 days")
        approved = self._special("Parts within 48 hours")
        approved.with_user(self.manager).action_approve()
        rejected = self._special("Parts within 24 hours")
        rejected.with_user(self.manager).action_reject(
            reason="Met only 62% of the time"
        )
        self.assertEqual(self.order._get_customer_commitments(), mats | approved)
        self.assertEqual(self.order._get_commitments_to_sign(), mats | approved)
        self.assertEqual(
            (waiting | rejected).mapped("is_visible_to_customer"), [False, False]
        )

    # ------------------------------------------------------------------
    # Edited after approval
    # ------------------------------------------------------------------

    def test_edit_after_approval_goes_back_to_approval(self):
        special = self._special()
        special.with_user(self.manager).action_approve()
        self.assertFalse(self._approval_activities(special))
        special.with_user(self.consultant).write({"name": "Repairs within 2 days"})
        self.assertEqual(special.approval_state, "to_approve")
        self.assertFalse(special.approved_by_id)
        self.assertFalse(special.is_visible_to_customer)
        activities = self._approval_activities(special)
        self.assertEqual(activities.user_id, self.approvers)
        # A change that the customer does not read (internal cost) keeps the approval.
        special.with_user(self.manager).action_approve()
        special.with_user(self.consultant).cost_amount = 500
        self.assertEqual(special.approval_state, "approved")
        # The quantity is read by the customer.
        special.with_user(self.consultant).quantity = 2
        self.assertEqual(special.approval_state, "to_approve")

    def test_standard_edit_needs_no_approval(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        mats.with_user(self.consultant).name = "Floor mats, all seats"
        self.assertEqual(mats.approval_state, "not_required")
        self.assertFalse(self._approval_activities(mats))

    # ------------------------------------------------------------------
    # Cancel
    # ------------------------------------------------------------------

    def test_cancel_needs_a_reason(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        action = mats.with_user(self.consultant).action_cancel()
        self.assertEqual(action["res_model"], "journey.commitment.reason.wizard")
        self.assertEqual(action["context"]["default_mode"], "cancel")
        self.assertEqual(mats.fulfillment_state, "open")
        wizard = self._reason_wizard(action, self.consultant, " ")
        with self.assertRaisesText(UserError, "Give the reason"):
            wizard.action_confirm()
        self.assertEqual(mats.fulfillment_state, "open")

    def test_cancel_with_reason_keeps_record(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        action = mats.with_user(self.consultant).action_cancel()
        wizard = self._reason_wizard(
            action, self.consultant, "Customer bought their own mats"
        )
        wizard.action_confirm()
        self.assertTrue(mats.exists())
        self.assertEqual(mats.fulfillment_state, "cancelled")
        self.assertEqual(mats.cancel_reason, "Customer bought their own mats")
        self.assertFalse(mats.is_visible_to_customer)
        bodies = " ".join(mats.message_ids.mapped("body"))
        self.assertIn("Customer bought their own mats", bodies)
        # Cancelled twice: refused.
        mats.invalidate_recordset()
        with self.assertRaisesText(UserError, "Floor mats"):
            mats.with_user(self.consultant).action_cancel()

    def test_cancel_special_closes_approval(self):
        special = self._special()
        self.assertTrue(self._approval_activities(special))
        special.write({"cancel_reason": "Customer dropped it"})
        special.with_user(self.consultant).action_cancel()
        self.assertEqual(special.fulfillment_state, "cancelled")
        self.assertFalse(self._approval_activities(special), "nothing left to decide")
