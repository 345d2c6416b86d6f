from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SIGNATURE, JourneyCrmCommon


@tagged("post_install", "-at_install")
class TestCommitmentAccess(JourneyCrmCommon):
    """Who sees and edits which commitments, orders and signatures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Commitment = cls.env["journey.commitment"]
        cls.Signature = cls.env["journey.commitment.signature"]
        # Consultant One's quotation, signed by the customer.
        cls.order_1 = cls._ready_order().with_env(cls.env)
        cls.mats_1 = cls.order_1.commitment_ids.filtered(
            lambda c: c.name == "Floor mats"
        )
        cls.order_1._sign_commitments_with_order("Zhao Lei", SIGNATURE)
        cls.signing_1 = cls.order_1.commitment_signature_ids
        # Consultant Two's quotation, with a special promise.
        cls.order_2 = cls._create_order(
            user=cls.consultant_2, partner=cls.other_customer
        ).with_env(cls.env)
        cls.mats_2 = cls._add_commitment(
            cls.order_2, cls.type_mats, "Mats for Qian"
        ).with_env(cls.env)
        cls.special_2 = cls._add_commitment(
            cls.order_2, cls.type_repairs, "Repairs within 3 days"
        ).with_env(cls.env)
        # Consultant One's opportunity.
        cls.lead_1 = cls.env["crm.lead"].create(
            {
                "name": "Zhao's second car",
                "type": "opportunity",
                "partner_id": cls.customer.id,
                "user_id": cls.consultant.id,
            }
        )
        cls.lead_commitment_1 = cls.Commitment.create(
            {
                "lead_id": cls.lead_1.id,
                "type_id": cls.type_dash_cam.id,
                "name": "Dash cam",
            }
        )
        # Another company's quotation.
        foreign_order = (
            cls.env["sale.order"]
            .with_company(cls.other_company)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "company_id": cls.other_company.id,
                    "order_line": [Command.create({"product_id": cls.car.id})],
                }
            )
        )
        cls.foreign_commitment = cls.Commitment.with_company(cls.other_company).create(
            {
                "order_id": foreign_order.id,
                "type_id": cls.type_mats.id,
                "name": "Foreign mats",
            }
        )
        cls.foreign_order = foreign_order
        cls.company_commitments = cls.Commitment.search(
            [("company_id", "=", cls.company.id), ("is_current", "=", True)]
        )

    def _search(self, user, model="journey.commitment", domain=None):
        return self.env[model].with_user(user).search(domain or [])

    # ------------------------------------------------------------------
    # Sales consultant
    # ------------------------------------------------------------------

    def test_consultant_sees_only_own(self):
        own = self._search(self.consultant)
        self.assertEqual(own, self.order_1.commitment_ids | self.lead_commitment_1)
        self.assertEqual(self._search(self.consultant_2), self.order_2.commitment_ids)
        with self.assertRaises(AccessError):
            self.mats_2.with_user(self.consultant).read(["name"])
        with self.assertRaises(AccessError):
            self.lead_commitment_1.with_user(self.consultant_2).read(["name"])
        # Nor another salesperson's order.
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.consultant).read(["name"])

    def test_consultant_edits_only_own(self):
        self.mats_1.with_user(self.consultant).write({"cost_amount": 80})
        self.lead_commitment_1.with_user(self.consultant).write({"quantity": 2})
        self.assertEqual(self.lead_commitment_1.quantity, 2)
        with self.assertRaises(AccessError):
            self.mats_2.with_user(self.consultant).write(
                {"name": "Changed by someone else"}
            )
        with self.assertRaises(AccessError):
            self.mats_2.with_user(self.consultant).unlink()
        self.assertEqual(self.mats_2.name, "Mats for Qian")
        with self.assertRaises(AccessError):
            self.Commitment.with_user(self.consultant).create(
                {
                    "order_id": self.order_2.id,
                    "type_id": self.type_mats.id,
                    "name": "Sneaked in",
                }
            )
            self.env.flush_all()
        self.assertFalse(self.Commitment.search([("name", "=", "Sneaked in")]))

    def test_consultant_cannot_edit_someone_elses_order(self):
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.consultant).write({"note": "Mine now"})
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.consultant).write(
                {
                    "commitment_ids": [
                        Command.update(self.mats_2.id, {"name": "Mine now"})
                    ]
                }
            )
        with self.assertRaises(AccessError):
            self.order_2.with_user(self.consultant).action_declare_commitments()
        self.assertEqual(self.mats_2.name, "Mats for Qian")
        self.assertFalse(self.order_2.commitments_declared)
        # Their own order, through the inline list: fine.
        self.order_1.with_user(self.consultant).write(
            {
                "commitment_ids": [
                    Command.create({"type_id": self.type_charger.id, "name": "Charger"})
                ]
            }
        )
        self.assertIn("Charger", self.order_1.commitment_ids.mapped("name"))

    def test_consultant_cannot_approve_or_sign_by_writing(self):
        """Approval and signature fields are read-only for real, not only in the
        form."""
        own_special = self._add_commitment(
            self.order_1, self.type_repairs, "Repairs within 3 days"
        )
        as_consultant = own_special.with_user(self.consultant)
        for vals in (
            {"approval_state": "approved"},
            {"approved_by_id": self.manager.id},
            {"signed_on": "2030-01-01 00:00:00"},
            {"signed_fingerprint": as_consultant.fingerprint},
            {"is_current": False},
            {"version": 7},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                as_consultant.write(vals)
        self.assertEqual(own_special.approval_state, "to_approve")
        self.assertFalse(own_special.signed_on)
        with self.assertRaises(AccessError):
            self.Commitment.with_user(self.consultant).create(
                {
                    "order_id": self.order_1.id,
                    "type_id": self.type_repairs.id,
                    "name": "Self-approved",
                    "approval_state": "approved",
                }
            )
        with self.assertRaises(AccessError):
            self.order_1.with_user(self.consultant).write(
                {
                    "commitment_ids": [
                        Command.update(own_special.id, {"approval_state": "approved"})
                    ]
                }
            )
        self.assertEqual(own_special.approval_state, "to_approve")

    def test_consultant_signatures(self):
        self.assertEqual(
            self._search(self.consultant, "journey.commitment.signature"),
            self.signing_1,
        )
        self.assertFalse(
            self._search(self.consultant_2, "journey.commitment.signature")
        )
        with self.assertRaises(AccessError):
            self.signing_1.with_user(self.consultant_2).read(["name"])
        with self.assertRaises(AccessError):
            self.signing_1.with_user(self.consultant).unlink()
        with self.assertRaises(AccessError):
            self.Signature.with_user(self.consultant).create(
                {
                    "name": "Forged",
                    "signature": SIGNATURE,
                    "partner_id": self.customer.id,
                    "order_id": self.order_1.id,
                    "method": "in_store",
                    "company_id": self.company.id,
                }
            )

    # ------------------------------------------------------------------
    # Delivery specialist and service advisor
    # ------------------------------------------------------------------

    def test_delivery_and_service_read_all(self):
        for user in (self.delivery, self.advisor):
            with self.subTest(user=user.login):
                self.assertEqual(
                    self._search(user, domain=[("is_current", "=", True)]),
                    self.company_commitments,
                )
                self.assertIn(self.mats_2, self._search(user))
                self.assertIn(self.lead_commitment_1, self._search(user))
                orders = self._search(user, "sale.order")
                self.assertIn(self.order_1, orders)
                self.assertIn(self.order_2, orders)
                self.assertEqual(
                    self.order_2.with_user(user).commitment_ids,
                    self.order_2.commitment_ids,
                )
                self.assertEqual(
                    self.order_2.with_user(user).order_line.product_id, self.car
                )
                # The promises on a lead, yes; the salesperson's pipeline, no.
                self.assertNotIn(self.lead_1, self._search(user, "crm.lead"))
                with self.assertRaises(AccessError):
                    self.lead_1.with_user(user).read(["name"])
                self.assertEqual(
                    self._search(user, "journey.commitment.signature"), self.signing_1
                )

    def test_delivery_and_service_cannot_write(self):
        for user in (self.delivery, self.advisor):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.mats_1.with_user(user).write({"name": "Changed"})
                with self.assertRaises(AccessError):
                    self.Commitment.with_user(user).create(
                        {
                            "order_id": self.order_1.id,
                            "type_id": self.type_mats.id,
                            "name": "X",
                        }
                    )
                with self.assertRaises(AccessError):
                    self.mats_1.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.order_2.with_user(user).write({"note": "Changed"})
                with self.assertRaises(AccessError):
                    self.order_2.order_line.with_user(user).write(
                        {"product_uom_qty": 3}
                    )
                with self.assertRaises(AccessError):
                    self.lead_1.with_user(user).write({"name": "Changed"})
                with self.assertRaises(AccessError):
                    self.special_2.with_user(user).action_approve()
        self.assertEqual(self.mats_1.name, "Floor mats")
        self.assertEqual(self.lead_1.name, "Zhao's second car")
        self.assertEqual(self.special_2.approval_state, "to_approve")

    # ------------------------------------------------------------------
    # Managers
    # ------------------------------------------------------------------

    def test_aftersales_manager(self):
        self.assertEqual(
            self._search(self.manager, domain=[("is_current", "=", True)]),
            self.company_commitments,
        )
        self.assertEqual(
            self._search(self.manager, "journey.commitment.signature"), self.signing_1
        )
        self.special_2.with_user(self.manager).action_approve()
        self.assertEqual(self.special_2.approval_state, "approved")
        # Deciding is not deleting.
        with self.assertRaises(AccessError):
            self.mats_2.with_user(self.manager).unlink()

    def test_cx_manager_sees_everything(self):
        self.assertEqual(
            self._search(self.cx_manager, domain=[("is_current", "=", True)]),
            self.company_commitments,
        )
        self.assertIn(self.order_2, self._search(self.cx_manager, "sale.order"))
        self.assertIn(self.lead_1, self._search(self.cx_manager, "crm.lead"))
        self.assertEqual(
            self._search(self.cx_manager, "journey.commitment.signature"),
            self.signing_1,
        )
        self.special_2.with_user(self.cx_manager).action_approve()
        self.assertEqual(self.special_2.approved_by_id, self.cx_manager)

    # ------------------------------------------------------------------
    # Companies
    # ------------------------------------------------------------------

    def test_company_isolation(self):
        self.assertNotIn(self.foreign_commitment, self.company_commitments)
        for user in (
            self.consultant,
            self.delivery,
            self.advisor,
            self.manager,
            self.cx_manager,
        ):
            with self.subTest(user=user.login):
                self.assertNotIn(self.foreign_commitment, self._search(user))
                with self.assertRaises(AccessError):
                    self.foreign_commitment.with_user(user).read(["name"])
        # A user of both companies sees both, in the companies they work in.
        self.cx_manager.company_ids = [Command.link(self.other_company.id)]
        both = (
            self.Commitment.with_user(self.cx_manager)
            .with_context(allowed_company_ids=[self.company.id, self.other_company.id])
            .search([])
        )
        self.assertIn(self.foreign_commitment, both)
        only_own = (
            self.Commitment.with_user(self.cx_manager)
            .with_context(allowed_company_ids=[self.company.id])
            .search([])
        )
        self.assertNotIn(self.foreign_commitment, only_own)

    def test_company_isolation_signatures(self):
        self.foreign_commitment._sign("Qian", SIGNATURE, "in_store")
        foreign_signing = self.foreign_commitment.signature_ids
        self.assertEqual(foreign_signing.company_id, self.other_company)
        for user in (self.delivery, self.manager, self.cx_manager):
            with self.subTest(user=user.login):
                self.assertNotIn(
                    foreign_signing, self._search(user, "journey.commitment.signature")
                )

    def test_catalogue_access(self):
        # Everybody reads the catalogue; only managers change it.
        for user in (self.consultant, self.delivery, self.advisor):
            with self.subTest(user=user.login):
                self.assertIn(
                    self.type_mats, self._search(user, "journey.commitment.type")
                )
                with self.assertRaises(AccessError):
                    self.type_mats.with_user(user).write({"name": "Cheap mats"})
        self.type_mats.with_user(self.manager).write({"description": "Rubber"})
        self.assertEqual(self.type_mats.description, "Rubber")
