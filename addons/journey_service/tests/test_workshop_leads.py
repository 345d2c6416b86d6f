from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import JourneyServiceCommon

RAISED = "2026-03-02 18:00:00"
DUE = datetime(2026, 3, 3, 18, 0)
LATE = "2026-03-03 18:30:00"


@tagged("post_install", "-at_install")
class TestServiceLeads(JourneyServiceCommon):
    """The workshop hears of a need; the customer's salesperson answers within 24
    hours."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.Wizard = cls.env["journey.service.lead.wizard"]
        cls.leader = new_test_user(
            cls.env,
            login="jsl_leader",
            groups="base.group_user,journey_crm.group_sales_consultant,sales_team.group_sale_manager",
            name="Team Leader Li",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.showroom = cls.env["crm.team"].create(
            {
                "name": "Showroom",
                "sequence": -1,
                "user_id": cls.leader.id,
                "member_ids": [Command.set((cls.consultant | cls.consultant_2).ids)],
            }
        )
        cls.consultant.tz = "Asia/Shanghai"
        cls.customer.user_id = cls.consultant
        cls.other_customer.user_id = cls.consultant_2
        cls.customer_sun = cls.env["res.partner"].create({"name": "Customer Sun"})
        cls.task = cls._create_service_task()
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        cls.next_stage = cls.env["crm.stage"].search(
            [("is_won", "=", False), ("id", "!=", cls.Lead._stage_find().id)], limit=1
        )

    def _raise_lead(self, task=None, partner=None, user=None, **values):
        """Raise a lead through the wizard, as the advisor, and return it."""
        context = (
            {"default_task_id": task.id} if task else {"default_partner_id": partner.id}
        )
        wizard = (
            self.Wizard.with_user(user or self.advisor)
            .with_context(**context)
            .create(
                {
                    "kind": "trade_in",
                    "grade": "a",
                    "note": "The old car drinks too much; wants an EV before winter.",
                    **values,
                }
            )
        )
        action = wizard.action_confirm()
        self.assertEqual(action["tag"], "display_notification")
        return self.Lead.search(
            [("journey_origin_user_id", "=", (user or self.advisor).id)],
            order="id desc",
            limit=1,
        )

    # ------------------------------------------------------------------
    # Assignment
    # ------------------------------------------------------------------

    @freeze_time(RAISED)
    def test_lead_goes_to_the_customers_salesperson(self):
        form = Form(
            self.Wizard.with_user(self.advisor).with_context(
                default_task_id=self.task.id
            )
        )
        self.assertEqual(form.partner_id, self.customer, "the visit's customer")
        self.assertEqual(
            form.salesperson_id, self.consultant, "the advisor sees who gets the lead"
        )
        form.kind = "additional_purchase"
        form.grade = "a"
        form.note = "A second child is coming: they need seven seats."
        form.save().action_confirm()

        lead = self.Lead.search([("journey_source_task_id", "=", self.task.id)])
        self.assertEqual(len(lead), 1)
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.user_id, self.consultant)
        self.assertEqual(lead.team_id, self.showroom)
        self.assertEqual(lead.partner_id, self.customer)
        self.assertEqual(
            (lead.journey_lead_kind, lead.journey_lead_grade, lead.journey_origin),
            ("additional_purchase", "a", "service"),
        )
        self.assertEqual(lead.journey_source_partner_id, self.customer)
        self.assertEqual(lead.journey_origin_user_id, self.advisor)
        self.assertEqual(lead.create_uid, self.advisor, "the advisor stays the author")
        self.assertEqual(lead.priority, "2", "grade A leads come first")
        self.assertIn("seven seats", lead.description)
        self.assertFalse(
            lead.journey_responded_on, "the advisor's own messages are no answer"
        )
        # Pushed at once: a to-do for the salesperson, due the next day in their time
        # zone
        activity = lead.activity_ids
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("journey_service.mail_act_service_lead"),
        )
        self.assertEqual(activity.user_id, self.consultant)
        self.assertEqual(
            str(activity.date_deadline), "2026-03-04", "18:00 UTC is 02:00 in Shanghai"
        )
        self.assertIn(self.consultant.partner_id, lead.message_partner_ids)
        self.assertTrue(
            lead.message_ids.filtered(lambda m: "seven seats" in str(m.body))
        )
        # The visit says where the lead went and counts it
        self.assertTrue(
            self.task.message_ids.filtered(
                lambda m: (
                    "Sales lead" in str(m.body) and "Consultant One" in str(m.body)
                )
            )
        )
        task = self.task.with_user(self.advisor)
        self.assertEqual(task.journey_lead_count, 1)
        self.assertEqual(
            self.Lead.with_user(self.advisor).search(
                task.action_journey_view_leads()["domain"]
            ),
            lead,
        )

    def test_lead_falls_back_to_the_team_leader(self):
        # No salesperson, no order: the leader of the default sales team
        form = Form(
            self.Wizard.with_user(self.advisor).with_context(
                default_partner_id=self.customer_sun.id
            )
        )
        self.assertEqual(form.salesperson_id, self.leader)
        lead = self._raise_lead(partner=self.customer_sun, grade="b")
        self.assertEqual(lead.user_id, self.leader)
        self.assertEqual(lead.team_id, self.showroom)
        self.assertEqual(lead.priority, "1")
        self.assertFalse(lead.journey_source_task_id)
        # A salesperson who left does not receive leads any more
        gone = new_test_user(
            self.env, login="jsl_gone", groups="journey_crm.group_sales_consultant"
        )
        self.customer_sun.user_id = gone
        gone.active = False
        self.assertEqual(
            self._raise_lead(partner=self.customer_sun).user_id, self.leader
        )
        # A quotation from another team: that team's leader
        fleet_team = self.env["crm.team"].create(
            {"name": "Fleet Sales", "user_id": self.consultant_2.id}
        )
        self.env["sale.order"].create(
            {
                "partner_id": self.customer_sun.id,
                "user_id": False,
                "team_id": fleet_team.id,
            }
        )
        lead = self._raise_lead(partner=self.customer_sun)
        self.assertEqual((lead.user_id, lead.team_id), (self.consultant_2, fleet_team))

    def test_nobody_to_take_the_lead(self):
        self.env["crm.team"].search([]).user_id = False
        leads_before = self.Lead.search_count([])
        with self.assertRaisesText(
            UserError, "Nobody can take this lead", "Customer Sun"
        ):
            self._raise_lead(partner=self.customer_sun)
        self.assertEqual(self.Lead.search_count([]), leads_before)

    def test_wizard_checks(self):
        with self.assertRaisesText(UserError, "Write down what the customer said"):
            self._raise_lead(task=self.task, note="   ")
        with self.assertRaisesText(UserError, "friend's name"):
            self._raise_lead(task=self.task, kind="referral")
        other_visit = self._create_service_task(partner=self.other_customer)
        with self.assertRaisesText(UserError, "is not"):
            self._raise_lead(task=other_visit, partner_id=self.customer.id)

    def test_only_after_sales_raise_leads(self):
        for user in (self.consultant, self.delivery):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._raise_lead(task=self.task, user=user)
        self.assertFalse(
            self.Lead.search([("journey_source_task_id", "=", self.task.id)])
        )
        # after-sales managers may, as the advisors do
        self.assertEqual(
            self._raise_lead(task=self.task, user=self.manager).user_id, self.consultant
        )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def test_advisor_reads_the_lead_raised_not_the_pipeline(self):
        own_lead = self.Lead.with_user(self.consultant_2).create(
            {
                "name": "Qian's fleet deal",
                "type": "opportunity",
                "partner_id": self.other_customer.id,
            }
        )
        visit = self._create_service_task(partner=self.other_customer)
        lead = self._raise_lead(task=visit, kind="additional_purchase")
        self.assertEqual(lead.user_id, self.consultant_2)

        as_advisor = self.Lead.with_user(self.advisor)
        self.assertEqual(
            lead.with_user(self.advisor).read(["journey_lead_kind"])[0][
                "journey_lead_kind"
            ],
            "additional_purchase",
        )
        self.assertIn(lead, as_advisor.search([]))
        self.assertNotIn(own_lead, as_advisor.search([]))
        with self.assertRaises(AccessError):
            own_lead.with_user(self.advisor).read(["name"])
        with self.assertRaises(AccessError):
            lead.with_user(self.advisor).write({"journey_lead_grade": "b"})
        # Another advisor does not read it either
        advisor_2 = new_test_user(
            self.env,
            login="jsl_advisor2",
            groups="base.group_user,journey_crm.group_service_advisor",
        )
        with self.assertRaises(AccessError):
            lead.with_user(advisor_2).read(["name"])
        # The salesperson works on it
        lead.with_user(self.consultant_2).write({"journey_lead_grade": "b"})

    # ------------------------------------------------------------------
    # Answer within 24 hours
    # ------------------------------------------------------------------

    def test_deadline_and_overdue(self):
        with freeze_time(RAISED):
            lead = self._raise_lead(task=self.task)
            self.assertEqual(lead.journey_response_deadline, DUE)
            self.assertFalse(lead.journey_response_overdue)
            self.assertNotIn(
                lead, self.Lead.search([("journey_response_overdue", "=", True)])
            )
        with freeze_time(LATE):
            lead.invalidate_recordset(["journey_response_overdue"])
            self.assertTrue(lead.journey_response_overdue)
            self.assertIn(
                lead, self.Lead.search([("journey_response_overdue", "=", True)])
            )
            self.assertNotIn(
                lead, self.Lead.search([("journey_response_overdue", "!=", True)])
            )
            plain = self.Lead.create({"name": "Walk-in", "type": "opportunity"})
            self.assertFalse(
                plain.journey_response_deadline,
                "only leads raised in after-sales run the clock",
            )
            self.assertIn(
                plain, self.Lead.search([("journey_response_overdue", "=", False)])
            )
            lead.with_user(self.consultant).message_post(
                body="Called, visiting on Saturday.", message_type="comment"
            )
            self.assertFalse(
                lead.journey_response_overdue, "answered late is not overdue any more"
            )
            self.assertEqual(lead.journey_responded_on, datetime(2026, 3, 3, 18, 30))

    def test_cron_notifies_once(self):
        with freeze_time(RAISED):
            late = self._raise_lead(task=self.task)
            answered = self._raise_lead(task=self.task)
            answered.with_user(self.consultant).action_journey_responded()
        overdue_type = self.env.ref("journey_service.mail_act_service_lead_overdue")
        with freeze_time("2026-03-03 17:00:00"):
            self.Lead._cron_journey_notify_overdue()
            self.assertFalse(
                late.activity_ids.filtered(
                    lambda a: a.activity_type_id == overdue_type
                ),
                "not before the 24 hours are over",
            )
        for _run in range(2):
            with freeze_time(LATE):
                self.Lead._cron_journey_notify_overdue()
        activity = late.activity_ids.filtered(
            lambda a: a.activity_type_id == overdue_type
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.consultant)
        self.assertTrue(late.journey_overdue_notified)
        # The team leader is told once, in one notice listing the late leads.
        to_leader = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.leader.partner_id.ids),
                ("body", "ilike", late.name),
            ]
        )
        self.assertEqual(len(to_leader), 1)
        self.assertIn("Consultant One", str(to_leader.body))
        self.assertFalse(
            answered.activity_ids.filtered(lambda a: a.activity_type_id == overdue_type)
        )
        self.assertFalse(answered.journey_overdue_notified)

    @freeze_time(RAISED)
    def test_first_answer_is_recorded(self):
        def answered(how):
            lead = self._raise_lead(task=self.task)
            self.assertFalse(lead.journey_responded_on)
            how(lead.with_user(self.consultant))
            return lead.journey_responded_on

        now = datetime(2026, 3, 2, 18, 0)
        # Moving it along the pipeline, winning or losing it
        self.assertEqual(
            answered(lambda lead: lead.write({"stage_id": self.next_stage.id})), now
        )
        self.assertEqual(answered(lambda lead: lead.action_set_won()), now)
        self.assertEqual(answered(lambda lead: lead.action_set_lost()), now)
        # A note or a done activity of the salesperson
        self.assertEqual(
            answered(
                lambda lead: lead.message_post(
                    body="Left a voicemail",
                    message_type="comment",
                    subtype_xmlid="mail.mt_note",
                )
            ),
            now,
        )
        self.assertEqual(
            answered(lambda lead: lead.activity_ids.action_feedback("Called")), now
        )
        # Saying so, after a call outside Odoo
        self.assertEqual(answered(lambda lead: lead.action_journey_responded()), now)
        # A note of somebody else is not the salesperson's answer
        lead = self._raise_lead(task=self.task)
        lead.with_user(self.leader).message_post(
            body="Please call them", message_type="comment"
        )
        self.assertFalse(lead.journey_responded_on)
        # The first answer stays the one measured
        with freeze_time(LATE):
            lead.with_user(self.consultant).action_journey_responded()
            lead.with_user(self.consultant).write({"stage_id": self.next_stage.id})
        self.assertEqual(lead.journey_responded_on, datetime(2026, 3, 3, 18, 30))

    # ------------------------------------------------------------------
    # Referrals and conversion
    # ------------------------------------------------------------------

    def test_referral_credits_the_referring_customer(self):
        lead = self._raise_lead(
            task=self.task,
            kind="referral",
            grade="b",
            referral_name="Friend Zhou",
            referral_phone="+86 138 0000 0000",
            referral_email="zhou@example.com",
        )
        self.assertEqual(
            lead.user_id, self.consultant, "the referring customer's salesperson"
        )
        self.assertFalse(
            lead.partner_id,
            "the salesperson qualifies the friend before a contact exists",
        )
        self.assertEqual(lead.contact_name, "Friend Zhou")
        self.assertEqual(lead.email_from, "zhou@example.com")
        self.assertEqual(lead.phone, "+86 138 0000 0000")
        self.assertEqual(lead.journey_referrer_id, self.customer)
        self.assertEqual(lead.journey_source_partner_id, self.customer)
        self.assertEqual(lead.referred, "Customer Zhao")
        self.assertIn("Friend Zhou", lead.name)
        # The salesperson makes a quotation for the friend: the new contact is credited
        wizard = (
            self.env["crm.quotation.partner"]
            .with_user(self.consultant)
            .with_context(active_model="crm.lead", active_id=lead.id)
            .create({"action": "create"})
        )
        wizard.action_apply()
        friend = lead.partner_id
        self.assertEqual(friend.name, "Friend Zhou")
        self.assertEqual(friend.referred_by_id, self.customer)
        self.assertEqual(lead.referred_by_id, self.customer)
        self.assertEqual(
            self.env["res.partner"].search([("referred_by_id", "=", self.customer.id)]),
            friend,
        )

    @freeze_time(RAISED)
    def test_conversion_keeps_the_origin(self):
        lead = self._raise_lead(task=self.task, kind="additional_purchase")
        order = self._create_order(opportunity_id=lead.id)
        self.assertEqual(order.opportunity_id, lead)
        self.assertEqual(lead.quotation_count, 1)
        self.assertEqual(
            lead.journey_responded_on,
            datetime(2026, 3, 2, 18, 0),
            "a quotation answers the lead",
        )
        lead.with_user(self.consultant).action_set_won()
        self.assertEqual(lead.stage_id, self.won_stage)
        self.assertEqual(
            (lead.journey_lead_kind, lead.journey_lead_grade, lead.journey_origin),
            ("additional_purchase", "a", "service"),
        )
        self._raise_lead(task=self.task, grade="b")
        # Conversion of the leads raised in after-sales, by grade
        groups = self.Lead.with_user(self.cx_manager)._read_group(
            [
                ("journey_origin", "=", "service"),
                ("journey_source_task_id", "=", self.task.id),
            ],
            ["journey_lead_grade", "stage_id"],
            ["__count"],
        )
        won = {grade: count for grade, stage, count in groups if stage.is_won}
        total = {}
        for grade, _stage, count in groups:
            total[grade] = total.get(grade, 0) + count
        self.assertEqual((won, total), ({"a": 1}, {"a": 1, "b": 1}))
