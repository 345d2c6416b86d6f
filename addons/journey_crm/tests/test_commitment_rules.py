from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import SIGNATURE, JourneyCrmCommon


@tagged("post_install", "-at_install")
class TestCommitmentCatalogue(JourneyCrmCommon):
    """The catalogue of commitment types."""

    def _create_type(self, **values):
        return self.env["journey.commitment.type"].create(
            {"name": "Test type", "code": "TEST", **values}
        )

    def test_shipped_catalogue(self):
        codes = set(self.env["journey.commitment.type"].search([]).mapped("code"))
        self.assertLessEqual(
            {
                "MATS",
                "FILM",
                "DASHCAM",
                "CHARGER",
                "DELIVERY",
                "FREEMAINT",
                "PRICE",
                "REPAIR",
                "PARTS",
                "OTHER",
            },
            codes,
        )
        self.assertEqual(self.type_free_maintenance.due_rule, "over_period")
        self.assertTrue(self.type_free_maintenance.uses_total)
        self.assertTrue(self.type_free_maintenance.period_months)
        self.assertEqual(self.type_repairs.policy, "special")
        self.assertEqual(self.type_delivery_date.category, "delivery_date")

    def test_code_unique_per_company(self):
        self._create_type(code="SEATS", company_id=self.company.id)
        with self.assertRaisesText(ValidationError, "SEATS"):
            self._create_type(code="SEATS", company_id=self.company.id)
        # Another company may use the same code for its own type.
        other = self._create_type(code="SEATS", company_id=self.other_company.id)
        self.assertEqual(other.company_id, self.other_company)
        # A shared type would clash with both.
        with self.assertRaisesText(ValidationError, "SEATS"):
            self._create_type(code="SEATS", company_id=False)

    def test_code_unique_against_shared_types(self):
        # The shipped catalogue is shared between companies: its codes are taken
        # everywhere.
        self.assertFalse(self.type_mats.company_id)
        with self.assertRaisesText(ValidationError, "MATS"):
            self._create_type(code="MATS", company_id=self.company.id)
        with self.assertRaisesText(ValidationError, "MATS"):
            self._create_type(code="MATS", company_id=self.other_company.id)
        # An archived type keeps its code.
        archived = self._create_type(code="OLD", active=False)
        with self.assertRaisesText(ValidationError, "OLD"):
            self._create_type(code="OLD", company_id=self.company.id)
        # Renaming the code onto an existing one is refused too.
        with self.assertRaisesText(ValidationError, "DASHCAM"):
            archived.code = "DASHCAM"

    def test_due_rule_parameters(self):
        with self.assertRaisesText(ValidationError, "how many days"):
            self._create_type(code="T1", due_rule="days_after_delivery", due_days=0)
        with self.assertRaisesText(ValidationError, "number of uses"):
            self._create_type(
                code="T2", due_rule="over_period", period_months=12, uses_total=0
            )
        with self.assertRaisesText(ValidationError, "number of uses"):
            self._create_type(
                code="T3", due_rule="over_period", period_months=0, uses_total=2
            )
        with self.assertRaisesText(ValidationError, "negative"):
            self._create_type(code="T4", due_rule="at_delivery", due_days=-1)
        count = self.env["journey.commitment.type"].search_count(
            [("code", "=like", "T_")]
        )
        self.assertEqual(count, 0, "refused types must not be created")
        ok = self._create_type(
            code="T5", due_rule="over_period", period_months=24, uses_total=4
        )
        self.assertEqual((ok.period_months, ok.uses_total), (24, 4))
        with self.assertRaisesText(ValidationError, "number of uses"):
            ok.uses_total = 0


@tagged("post_install", "-at_install")
class TestCommitmentRules(JourneyCrmCommon):
    """Validation, policy, due dates and what a commitment takes from its order."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls._create_order()
        # Noon UTC: the same calendar day in every time zone the tests may run in.
        cls.delivery_day = fields.Date.today() + timedelta(days=30)
        cls.order.commitment_date = datetime.combine(cls.delivery_day, time(12, 0))

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    def test_name_required(self):
        Commitment = self.env["journey.commitment"]
        before = Commitment.search_count([])
        with self.assertRaisesText(ValidationError, "Write the promise"):
            Commitment.create({"order_id": self.order.id, "type_id": self.type_mats.id})
        for name in (False, "", "   "):
            with self.subTest(name=name), self.assertRaises(ValidationError):
                self._add_commitment(self.order, self.type_mats, name)
        self.assertEqual(Commitment.search_count([]), before, "nothing may be created")
        commitment = self._add_commitment(self.order, self.type_mats, "Floor mats")
        with self.assertRaises(ValidationError):
            commitment.with_user(self.consultant).name = " "
        self.assertEqual(commitment.name, "Floor mats")

    def test_quantity_must_be_positive(self):
        for quantity in (-1, 0):
            with (
                self.subTest(quantity=quantity),
                self.assertRaisesText(
                    ValidationError, "Floor mats: the quantity must be positive"
                ),
            ):
                self._add_commitment(
                    self.order, self.type_mats, "Floor mats", quantity=quantity
                )
        commitment = self._add_commitment(
            self.order, self.type_mats, "Floor mats", quantity=4
        )
        with self.assertRaisesText(ValidationError, "Floor mats"):
            commitment.with_user(self.consultant).quantity = -2
        self.assertEqual(commitment.quantity, 4)

    def test_cost_cannot_be_negative(self):
        with self.assertRaisesText(
            ValidationError, "Dash cam: the internal cost cannot be negative"
        ):
            self._add_commitment(
                self.order, self.type_dash_cam, "Dash cam", cost_amount=-10
            )
        commitment = self._add_commitment(
            self.order, self.type_dash_cam, "Dash cam", cost_amount=0
        )
        commitment.cost_amount = 350
        self.assertEqual(commitment.cost_amount, 350)

    def test_explicit_due_date_in_the_past(self):
        yesterday = fields.Date.today() - timedelta(days=1)
        with self.assertRaisesText(
            ValidationError, "Tyre change: the due date", "is in the past"
        ):
            self._add_commitment(
                self.order,
                self.type_mats,
                "Tyre change",
                due_rule="fixed_date",
                date_deadline=yesterday,
            )
        # A fixed date is needed unless the promise is the delivery date itself.
        with self.assertRaisesText(ValidationError, "Tyre change: give the date"):
            self._add_commitment(
                self.order, self.type_mats, "Tyre change", due_rule="fixed_date"
            )
        commitment = self._add_commitment(
            self.order,
            self.type_mats,
            "Tyre change",
            due_rule="fixed_date",
            date_deadline=fields.Date.today(),
        )
        with self.assertRaisesText(ValidationError, "in the past"):
            commitment.date_deadline = yesterday
        self.assertEqual(commitment.date_deadline, fields.Date.today())

    def test_over_period_needs_uses_and_months(self):
        with self.assertRaisesText(
            ValidationError, "Free maintenance: a promise over a period"
        ):
            self._add_commitment(
                self.order, self.type_free_maintenance, "Free maintenance", uses_total=0
            )
        with self.assertRaisesText(ValidationError, "a promise over a period"):
            self._add_commitment(
                self.order,
                self.type_free_maintenance,
                "Free maintenance",
                period_months=0,
            )
        with self.assertRaisesText(ValidationError, "how many days"):
            self._add_commitment(
                self.order, self.type_charger, "Home charger", due_days=0
            )

    def test_commitment_needs_a_document(self):
        with self.assertRaisesText(ValidationError, "opportunity or a sales order"):
            self.env["journey.commitment"].create(
                {"name": "Orphan", "type_id": self.type_mats.id}
            )

    # ------------------------------------------------------------------
    # Policy and parameters from the type
    # ------------------------------------------------------------------

    def test_values_taken_from_type(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        self.assertEqual(mats.policy, "standard")
        self.assertEqual(mats.approval_state, "not_required")
        self.assertEqual(mats.department, self.type_mats.department)
        self.assertEqual(mats.category, "gift")
        charger = self._add_commitment(self.order, self.type_charger, "Home charger")
        self.assertEqual(
            (charger.due_rule, charger.due_days), ("days_after_delivery", 30)
        )
        maintenance = self._add_commitment(
            self.order, self.type_free_maintenance, "Maintenance"
        )
        self.assertEqual(
            (maintenance.period_months, maintenance.uses_total),
            (
                self.type_free_maintenance.period_months,
                self.type_free_maintenance.uses_total,
            ),
        )
        repairs = self._add_commitment(
            self.order, self.type_repairs, "Repairs within 3 days"
        )
        self.assertEqual(repairs.policy, "special")
        self.assertEqual(repairs.approval_state, "to_approve")

    def test_values_follow_type_in_form(self):
        with Form(self.order.with_env(self.env).with_user(self.consultant)) as form:
            with form.commitment_ids.new() as line:
                line.type_id = self.type_mats
                self.assertEqual(line.due_rule, "at_delivery")
                line.type_id = self.type_charger
                line.name = "Home charger"
                self.assertEqual(
                    (line.due_rule, line.due_days), ("days_after_delivery", 30)
                )
                self.assertEqual(line.department, "after_sales")
                line.type_id = self.type_repairs
                self.assertEqual(line.policy, "special")
                line.type_id = self.type_charger
                self.assertEqual(line.policy, "standard")
                line.due_days = 12
        charger = self.order.commitment_ids.filtered(lambda c: c.name == "Home charger")
        self.assertEqual(
            (charger.due_rule, charger.due_days), ("days_after_delivery", 12)
        )
        self.assertEqual(charger.date_deadline, self.delivery_day + timedelta(days=12))
        self.assertEqual(charger.approval_state, "not_required")

    def test_raise_policy_to_special(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        mats.with_user(self.consultant).policy = "special"
        self.assertEqual(mats.approval_state, "to_approve")
        self.assertTrue(
            mats.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("journey_crm.mail_act_commitment_approval")
                )
            ),
            "raising a promise to special sends it to the managers",
        )
        self.assertFalse(mats.is_visible_to_customer)
        # Created special from the start.
        special = self._add_commitment(
            self.order, self.type_mats, "Premium mats", policy="special"
        )
        self.assertEqual(special.approval_state, "to_approve")

    def test_lower_policy_refused(self):
        repairs = self._add_commitment(
            self.order, self.type_repairs, "Repairs within 3 days"
        )
        with self.assertRaisesText(ValidationError, "Repairs within 3 days"):
            repairs.with_user(self.consultant).policy = "standard"
        self.assertEqual(repairs.policy, "special")
        with self.assertRaises(ValidationError):
            self._add_commitment(
                self.order, self.type_repairs, "Parts in 24h", policy="standard"
            )

    # ------------------------------------------------------------------
    # Due dates
    # ------------------------------------------------------------------

    def test_date_deadline_from_due_rule(self):
        at_delivery = self._add_commitment(self.order, self.type_mats, "Floor mats")
        charger = self._add_commitment(self.order, self.type_charger, "Home charger")
        maintenance = self._add_commitment(
            self.order, self.type_free_maintenance, "Maintenance"
        )
        fixed_day = fields.Date.today() + timedelta(days=10)
        fixed = self._add_commitment(
            self.order,
            self.type_mats,
            "Mats before the holiday",
            due_rule="fixed_date",
            date_deadline=fixed_day,
        )
        day = self.delivery_day
        self.assertEqual(at_delivery.date_deadline, day)
        self.assertEqual(charger.date_deadline, day + timedelta(days=30))
        self.assertEqual(
            maintenance.date_deadline,
            day + relativedelta(months=self.type_free_maintenance.period_months),
        )
        self.assertEqual(fixed.date_deadline, fixed_day)

        # The delivery date moves: computed dates follow, the explicit one stays.
        new_day = day + timedelta(days=7)
        self.order.commitment_date = datetime.combine(new_day, time(12, 0))
        self.assertEqual(at_delivery.date_deadline, new_day)
        self.assertEqual(charger.date_deadline, new_day + timedelta(days=30))
        self.assertEqual(fixed.date_deadline, fixed_day)

        # A due rule parameter changes.
        charger.due_days = 10
        self.assertEqual(charger.date_deadline, new_day + timedelta(days=10))

    def test_due_rule_given_at_creation(self):
        """A due rule other than the type's, given when the promise is created."""
        mats = self._add_commitment(
            self.order,
            self.type_mats,
            "Mats within 10 days",
            due_rule="days_after_delivery",
            due_days=10,
        )
        self.assertEqual(mats.date_deadline, self.delivery_day + timedelta(days=10))
        maintenance = self._add_commitment(
            self.order, self.type_free_maintenance, "Maintenance", period_months=12
        )
        self.assertEqual(maintenance.uses_total, self.type_free_maintenance.uses_total)
        self.assertEqual(
            maintenance.date_deadline, self.delivery_day + relativedelta(months=12)
        )

    def test_date_deadline_unknown_without_delivery_date(self):
        order = self._create_order(commitment_date=False)
        mats = self._add_commitment(order, self.type_mats, "Floor mats")
        self.assertFalse(mats.date_deadline)
        self.assertEqual(mats.due_description, "At delivery")
        order.commitment_date = datetime.combine(self.delivery_day, time(12, 0))
        self.assertEqual(mats.date_deadline, self.delivery_day)

    def test_delivery_date_category_follows_order(self):
        delivery = self._add_commitment(
            self.order, self.type_delivery_date, "Delivery date"
        )
        self.assertEqual(delivery.due_rule, "fixed_date")
        self.assertEqual(delivery.date_deadline, self.delivery_day)
        new_day = self.delivery_day + timedelta(days=3)
        self.order.with_user(self.consultant).write(
            {"commitment_date": datetime.combine(new_day, time(12, 0))}
        )
        self.assertEqual(delivery.date_deadline, new_day)

    def test_delivery_date_without_order_date(self):
        order = self._create_order(commitment_date=False)
        delivery = self._add_commitment(order, self.type_delivery_date, "Delivery date")
        self.assertFalse(delivery.date_deadline)
        self.assertEqual(delivery.due_description, "By a date to be agreed")
        order.commitment_date = datetime.combine(self.delivery_day, time(12, 0))
        self.assertEqual(delivery.date_deadline, self.delivery_day)

    # ------------------------------------------------------------------
    # What follows the order
    # ------------------------------------------------------------------

    def test_partner_company_user_from_order(self):
        mats = self._add_commitment(
            self.order, self.type_mats, "Floor mats", user=self.env.user
        )
        self.assertEqual(mats.partner_id, self.customer)
        self.assertEqual(mats.company_id, self.order.company_id)
        self.assertEqual(
            mats.user_id, self.consultant, "the order's salesperson, not the creator"
        )

    def test_user_follows_order_salesperson(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        repairs = self._add_commitment(
            self.order, self.type_repairs, "Repairs within 3 days"
        )
        self.assertEqual((mats | repairs).user_id, self.consultant)
        self.order.sudo().user_id = self.consultant_2
        self.assertEqual(mats.sudo().user_id, self.consultant_2)
        self.assertEqual(repairs.sudo().user_id, self.consultant_2)
        # The new salesperson can now work on them, the previous one cannot see them.
        self.env.flush_all()
        Commitment = self.env["journey.commitment"]
        self.assertEqual(
            Commitment.with_user(self.consultant_2).search(
                [("order_id", "=", self.order.id)]
            ),
            mats | repairs,
        )
        self.assertFalse(
            Commitment.with_user(self.consultant).search(
                [("order_id", "=", self.order.id)]
            )
        )

    def test_partner_follows_order_customer(self):
        mats = self._add_commitment(self.order, self.type_mats, "Floor mats")
        self.order.partner_id = self.other_customer
        self.assertEqual(mats.partner_id, self.other_customer)

    # ------------------------------------------------------------------
    # Leads
    # ------------------------------------------------------------------

    def _create_lead(self, user=None):
        user = user or self.consultant
        lead = (
            self.env["crm.lead"]
            .with_user(user)
            .create(
                {
                    "name": "Zhao wants an EV",
                    "type": "opportunity",
                    "partner_id": self.customer.id,
                    "user_id": user.id,
                }
            )
        )
        return lead.with_env(self.env)

    def _add_lead_commitment(self, lead, commitment_type, name, **values):
        return (
            self.env["journey.commitment"]
            .with_user(lead.user_id)
            .create(
                {
                    "lead_id": lead.id,
                    "type_id": commitment_type.id,
                    "name": name,
                    **values,
                }
            )
        )

    def test_lead_commitment_values(self):
        lead = self._create_lead()
        mats = self._add_lead_commitment(lead, self.type_mats, "Floor mats")
        self.assertEqual(mats.partner_id, self.customer)
        self.assertEqual(mats.user_id, self.consultant)
        self.assertFalse(mats.date_deadline, "no delivery date before a quotation")
        self.assertEqual(lead.commitment_ids, mats)
        self.assertEqual(lead.commitment_count, 1)

    def test_lead_commitments_copied_to_each_quotation(self):
        lead = self._create_lead()
        mats = self._add_lead_commitment(lead, self.type_mats, "Floor mats", quantity=4)
        repairs = self._add_lead_commitment(
            lead, self.type_repairs, "Repairs within 3 days"
        )
        repairs.with_user(self.manager).action_approve()
        film = self._add_lead_commitment(lead, self.type_dash_cam, "Dash cam")
        film.write({"cancel_reason": "Customer has one"})
        film.action_cancel()

        # First quotation, as the "New Quotation" button of the opportunity opens it.
        context = lead.with_user(self.consultant).action_new_quotation()["context"]
        with Form(
            self.env["sale.order"].with_user(self.consultant).with_context(**context)
        ) as form:
            with form.order_line.new() as line:
                line.product_id = self.car
        order_1 = form.record
        # Second quotation, created directly.
        order_2 = (
            self.env["sale.order"]
            .with_user(self.consultant)
            .create(
                {
                    "partner_id": self.customer.id,
                    "opportunity_id": lead.id,
                    "commitment_date": self.order.commitment_date,
                    "order_line": [Command.create({"product_id": self.car.id})],
                }
            )
        )
        for order in (order_1, order_2):
            with self.subTest(order=order.name):
                self.assertEqual(order.opportunity_id, lead)
                self.assertEqual(
                    sorted(order.commitment_ids.mapped("name")),
                    ["Floor mats", "Repairs within 3 days"],
                    "cancelled promises are not carried over",
                )
                copied_mats = order.commitment_ids.filtered(
                    lambda c: c.name == "Floor mats"
                )
                copied_repairs = order.commitment_ids - copied_mats
                self.assertNotIn(
                    copied_mats, mats | repairs, "each quotation gets its own copy"
                )
                self.assertEqual(copied_mats.quantity, 4)
                self.assertEqual(copied_mats.order_id, order)
                self.assertEqual(copied_mats.user_id, self.consultant)
                self.assertEqual(
                    copied_repairs.approval_state,
                    "approved",
                    "an approved promise stays approved on the quotation",
                )
        self.assertEqual(
            order_2.commitment_ids.filtered(
                lambda c: c.name == "Floor mats"
            ).date_deadline,
            self.delivery_day,
        )
        self.assertFalse(
            set(order_1.commitment_ids.ids) & set(order_2.commitment_ids.ids)
        )
        # The lead keeps its own promises.
        self.assertEqual(lead.commitment_ids, mats | repairs | film)
        self.assertFalse((mats | repairs).order_id)
        # Editing one quotation's copy changes neither the lead nor the other quotation.
        order_1.commitment_ids.filtered(lambda c: c.name == "Floor mats").quantity = 2
        self.assertEqual(mats.quantity, 4)
        self.assertEqual(
            order_2.commitment_ids.filtered(lambda c: c.name == "Floor mats").quantity,
            4,
        )

    def test_lead_commitment_own_due_rule_copied(self):
        """What the salesperson set on the lead's promise reaches the quotation."""
        lead = self._create_lead()
        day = fields.Date.today() + timedelta(days=20)
        self._add_lead_commitment(
            lead,
            self.type_mats,
            "Winter tyres",
            due_rule="fixed_date",
            date_deadline=day,
        )
        self._add_lead_commitment(lead, self.type_charger, "Home charger", due_days=10)
        self._add_lead_commitment(
            lead, self.type_mats, "Premium mats", policy="special"
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "user_id": self.consultant.id,
                "commitment_date": self.order.commitment_date,
            }
        )
        by_name = {c.name: c for c in order.commitment_ids}
        self.assertEqual(by_name["Winter tyres"].date_deadline, day)
        self.assertEqual(by_name["Home charger"].due_days, 10)
        self.assertEqual(
            by_name["Home charger"].date_deadline,
            self.delivery_day + timedelta(days=10),
        )
        self.assertEqual(by_name["Premium mats"].policy, "special")
        self.assertEqual(by_name["Premium mats"].approval_state, "to_approve")

    def test_partner_profile_edited_from_lead(self):
        lead = self._create_lead()
        referrer = self.other_customer
        lead.with_user(self.consultant).write(
            {
                "customer_needs": "Seven seats: a second child is coming",
                "customer_concerns": "Winter range",
                "preferred_contact_method": "wechat",
                "referred_by_id": referrer.id,
            }
        )
        self.assertEqual(
            self.customer.customer_needs, "Seven seats: a second child is coming"
        )
        self.assertEqual(self.customer.customer_concerns, "Winter range")
        self.assertEqual(self.customer.preferred_contact_method, "wechat")
        self.assertEqual(self.customer.referred_by_id, referrer)
        # And the other way: the walk-in customer's profile shows on the next lead.
        self.customer.preferred_contact_method = "phone"
        other_lead = self._create_lead()
        self.assertEqual(other_lead.preferred_contact_method, "phone")
        self.assertEqual(other_lead.customer_concerns, "Winter range")

    def test_partner_profile_in_lead_form(self):
        lead = self._create_lead()
        with Form(lead.with_user(self.consultant)) as form:
            form.customer_needs = "Charging at home"
            form.preferred_contact_method = "sms"
        self.assertEqual(self.customer.customer_needs, "Charging at home")
        self.assertEqual(self.customer.preferred_contact_method, "sms")

    def test_lead_unlink_deletes_only_its_unquoted_commitments(self):
        lead = self._create_lead()
        other_lead = self._create_lead()
        mats = self._add_lead_commitment(lead, self.type_mats, "Floor mats")
        other_mats = self._add_lead_commitment(other_lead, self.type_mats, "Floor mats")
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "opportunity_id": lead.id,
                "user_id": self.consultant.id,
            }
        )
        quoted = order.commitment_ids
        self.assertEqual(len(quoted), 1)
        self.assertEqual(quoted.lead_id, lead)
        lead.unlink()
        self.assertFalse(mats.exists())
        self.assertTrue(quoted.exists(), "the quotation keeps its promises")
        self.assertFalse(quoted.lead_id)
        self.assertEqual(order.commitment_ids, quoted)
        self.assertTrue(other_mats.exists())

    # ------------------------------------------------------------------
    # Customer 360: smart button
    # ------------------------------------------------------------------

    def test_partner_counts_quoted_lead_promises_once(self):
        """A promise made on the opportunity and carried to its quotation is one
        promise."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Zhao: 7 seats",
                "type": "opportunity",
                "partner_id": self.customer.id,
                "user_id": self.consultant.id,
            }
        )
        self.env["journey.commitment"].with_user(self.consultant).create(
            {"lead_id": lead.id, "type_id": self.type_mats.id, "name": "Floor mats"}
        )
        self.customer.invalidate_recordset(
            ["commitment_count", "commitment_open_count"]
        )
        self.assertEqual(
            self.customer.commitment_count, 1, "not quoted yet: the lead's promise"
        )
        self._create_order(opportunity_id=lead.id)
        self.customer.invalidate_recordset(
            ["commitment_count", "commitment_open_count"]
        )
        self.assertEqual(
            self.customer.commitment_count, 1, "quoted: the quotation's line only"
        )
        action = self.customer.action_view_commitments()
        shown = self.env["journey.commitment"].search(action["domain"])
        self.assertEqual(len(shown), 1)
        self.assertTrue(shown.order_id)

    def test_partner_commitment_counts(self):
        contact = self.env["res.partner"].create(
            {"name": "Zhao's wife", "parent_id": self.customer.id, "type": "contact"}
        )
        order = self._create_order()
        self._add_commitment(order, self.type_mats, "Floor mats")
        charger = self._add_commitment(order, self.type_charger, "Home charger")
        cancelled = self._add_commitment(order, self.type_dash_cam, "Dash cam")
        cancelled.write({"cancel_reason": "Out of stock, customer agreed"})
        cancelled.action_cancel()
        order_contact = self._create_order(partner=contact)
        self._add_commitment(order_contact, self.type_mats, "Mats for the second car")
        charger.sudo().fulfillment_state = "fulfilled"
        # Other customers' promises are not counted.
        self._add_commitment(
            self._create_order(partner=self.other_customer), self.type_mats, "Mats"
        )

        self.customer.invalidate_recordset(
            ["commitment_count", "commitment_open_count"]
        )
        # self.order (setUpClass) has none; order: mats, charger (fulfilled); contact:
        # mats.
        self.assertEqual(self.customer.commitment_count, 3)
        self.assertEqual(self.customer.commitment_open_count, 2)
        action = self.customer.action_view_commitments()
        self.assertEqual(
            self.env["journey.commitment"].search_count(
                action["domain"]
                + [("is_current", "=", True), ("fulfillment_state", "!=", "cancelled")]
            ),
            3,
        )

        # A new version of a signed promise counts once.
        order._sign_commitments_with_order("Zhao", SIGNATURE)
        order.commitment_ids.filtered(
            lambda c: c.name == "Floor mats"
        ).name = "Floor mats, all seats"
        self.customer.invalidate_recordset(
            ["commitment_count", "commitment_open_count"]
        )
        self.assertEqual(self.customer.commitment_count, 3)
        self.assertEqual(self.customer.commitment_open_count, 2)
