"""A complaint's joint answer: one contact person, the states reached through
their buttons only, the joint solution due within the company's delay and
followed by the hourly deadline job, and a root cause to resolve it."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_complaint import JourneyComplaintCommon

RECEIVED = "2026-11-02 09:00:00"


@tagged("post_install", "-at_install")
class TestComplaintFlow(JourneyComplaintCommon):
    def _notify(self):
        self.env["journey.handover"]._cron_notify_overdue()

    def _late_notices(self, complaint):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "journey.complaint"),
                ("res_id", "=", complaint.id),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref("journey_service.mail_act_complaint_overdue").id,
                ),
            ]
        )

    def test_one_person_speaks_to_the_customer_even_after_the_salesperson_left(self):
        team = self.env["crm.team"].create(
            {
                "name": "Showroom",
                "user_id": self.consultant_2.id,
                "member_ids": [(4, self.consultant.id)],
            }
        )
        complaint = self._complaint().with_env(self.env)
        self.assertEqual(complaint.salesperson_id, self.consultant)
        self.assertEqual(complaint.contact_user_id, self.consultant)
        self.assertEqual(complaint.sales_user_id, self.consultant)
        self.assertEqual(complaint.aftersales_user_id, self.advisor)
        self.assertTrue(
            complaint.quality_user_id.has_group("journey_service.group_quality_manager")
        )
        self.assertIn(team.user_id, complaint.alert_manager_ids)
        # The salesperson leaves: their team leader speaks to the customer.
        self.consultant.action_archive()
        self.assertEqual(complaint.contact_user_id, self.consultant_2)
        self.assertEqual(
            self._complaint(user=self.cx_manager).contact_user_id, self.consultant_2
        )
        self.consultant.action_unarchive()
        self.assertEqual(complaint.contact_user_id, self.consultant)
        # Still active but moved to another dealership: left this one too.
        self.consultant.write({"company_ids": [(4, self.other_company.id)]})
        self.consultant.write(
            {
                "company_id": self.other_company.id,
                "company_ids": [(3, self.company.id)],
            }
        )
        self.assertEqual(complaint.contact_user_id, self.consultant_2)

    def test_states_move_through_their_buttons_with_the_time_reached(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint()
            self.assertEqual(complaint.state, "new")
            self.assertEqual(complaint.date_received, datetime(2026, 11, 2, 9, 0))
        with self.assertRaisesText(UserError, "cannot move"):
            complaint.with_user(self.quality).action_resolve()
        with freeze_time("2026-11-02 09:30:00"):
            complaint.with_user(self.advisor).action_investigate()
        self.assertEqual(complaint.date_investigating, datetime(2026, 11, 2, 9, 30))
        with self.assertRaisesText(UserError, "joint solution"):
            complaint.with_user(self.quality).action_propose_solution()
        complaint.with_user(self.quality).solution = "<p>Mats fitted on Saturday</p>"
        with freeze_time("2026-11-02 15:00:00"):
            complaint.with_user(self.quality).action_propose_solution()
        self.assertEqual(complaint.state, "joint_solution")
        self.assertTrue(complaint.is_answered_in_time)
        with freeze_time("2026-11-04 10:00:00"):
            complaint.with_user(self.quality).root_cause = "over_promise"
            complaint.with_user(self.manager).action_resolve()
            complaint.with_user(self.consultant).action_close()
        self.assertEqual(complaint.date_resolved, datetime(2026, 11, 4, 10, 0))
        self.assertEqual(complaint.date_closed, datetime(2026, 11, 4, 10, 0))
        with self.assertRaisesText(UserError, "closed complaint"):
            complaint.with_user(self.manager).write({"description": "Rewritten"})
        self.assertEqual(complaint.description, "The floor mats never came.")

    def test_state_and_stamps_are_not_written_by_callers(self):
        complaint = self._complaint()
        for user in (self.consultant, self.manager, self.quality, self.cx_manager):
            for vals in (
                {"state": "closed"},
                {"date_closed": "2026-11-01 00:00:00"},
                {"date_solution_deadline": "2030-01-01 00:00:00"},
                {"solution_overdue_notified": True},
                {"is_red_alert": False},
            ):
                # JSON-RPC callers choose their context: no key opens the door.
                for context in ({}, {"journey_force": True, "tracking_disable": True}):
                    with self.assertRaises(AccessError):
                        complaint.with_user(user).with_context(**context).write(vals)
        self.assertEqual(complaint.state, "new")
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.manager).create(
                {
                    "partner_id": self.customer.id,
                    "description": "x",
                    "state": "resolved",
                }
            )
        # Someone outside the complaint (another salesperson) does not move it on.
        theirs = self._complaint(
            user=self.consultant_2, partner_id=self.other_customer.id
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.consultant).action_investigate()
        self.assertEqual(theirs.state, "new")

    def test_root_cause_is_required_to_resolve(self):
        complaint = self._complaint()
        complaint.with_user(self.quality).action_investigate()
        complaint.with_user(self.quality).solution = "<p>A new charger on Monday</p>"
        complaint.with_user(self.quality).action_propose_solution()
        with self.assertRaisesText(UserError, "root cause"):
            complaint.with_user(self.manager).action_resolve()
        self.assertEqual(complaint.state, "joint_solution")
        self.assertEqual(complaint.solution, "<p>A new charger on Monday</p>")
        complaint.with_user(self.quality).write(
            {"root_cause": "slow_response", "root_cause_note": "Parts waited 10 days"}
        )
        complaint.with_user(self.manager).action_resolve()
        self.assertEqual(complaint.state, "resolved")

    def test_unkept_promises(self):
        order = self._confirmed_order()
        mats = order.commitment_ids.filtered(lambda c: c.name == "Floor mats")
        complaint = self._complaint(order_id=order.id)
        complaint.commitment_ids = mats
        domain = self.Complaint._fields["commitment_ids"].domain
        self.assertIn("fulfillment_state", domain)
        self.assertEqual(complaint.commitment_ids, mats)

    def test_joint_solution_due_within_the_company_delay_and_notified_once(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint()
        self.assertEqual(complaint.date_solution_deadline, datetime(2026, 11, 3, 9, 0))
        with freeze_time("2026-11-03 08:59:00"):
            self._notify()
            self.assertFalse(complaint.is_solution_late)
        self.assertFalse(self._late_notices(complaint))
        with freeze_time("2026-11-03 09:01:00"):
            complaint.invalidate_recordset(["is_solution_late"])
            self.assertTrue(complaint.is_solution_late)
            self.assertIn(
                complaint, self.Complaint.search([("is_solution_late", "=", True)])
            )
            self._notify()
        notices = self._late_notices(complaint)
        self.assertEqual(
            notices.user_id,
            complaint.contact_user_id
            | complaint.aftersales_user_id
            | complaint.quality_user_id,
        )
        self.assertTrue(complaint.solution_overdue_notified)
        with freeze_time("2026-11-03 12:00:00"):
            self._notify()
            self._notify()
        self.assertEqual(self._late_notices(complaint), notices, "told once")

        # Admins change the delay in Settings: the next complaint gets it.
        settings = self.env["res.config.settings"].create({})
        settings.journey_complaint_answer_hours = 48
        settings.execute()
        with freeze_time(RECEIVED):
            self.assertEqual(
                self._complaint().date_solution_deadline, datetime(2026, 11, 4, 9, 0)
            )
        self.assertEqual(complaint.date_solution_deadline, datetime(2026, 11, 3, 9, 0))

    def test_answered_complaints_are_not_notified(self):
        with freeze_time(RECEIVED):
            complaint = self._complaint()
            complaint.with_user(self.quality).action_investigate()
            complaint.with_user(self.quality).solution = "<p>Call back today</p>"
            complaint.with_user(self.quality).action_propose_solution()
        with freeze_time("2026-11-05 09:00:00"):
            self._notify()
        self.assertFalse(self._late_notices(complaint))

    def test_settings_refuse_nonsense(self):
        for field, value in (
            ("journey_complaint_answer_hours", 0),
            ("journey_complaint_answer_hours", -4),
            ("journey_churn_threshold", 10),
            ("journey_churn_threshold", -1),
        ):
            with self.assertRaises(ValidationError):
                self.company.write({field: value})
        self.assertEqual(self.company.journey_complaint_answer_hours, 24)
        self.assertEqual(self.company.journey_churn_threshold, 6)
