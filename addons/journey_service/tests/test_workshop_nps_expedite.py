from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestNps(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.consultant
        cls.Answer = cls.env["journey.nps.answer"]

    def test_score_range_and_one_answer_per_visit(self):
        task = self._create_service_task()
        with self.assertRaisesText(UserError, "handed back"):
            self.Answer._journey_record(task, 9, "Great", "portal")
        self._hand_back(task)
        for wrong in (-1, 11, None, "7"):
            with self.assertRaisesText(ValidationError, "0 to 10"):
                self.Answer._journey_record(task, wrong, "", "portal")
        self.assertFalse(task.journey_nps_answer_ids, "a wrong score records nothing")
        answer = self.Answer._journey_record(task, 6, "Waited too long", "portal")
        self.assertEqual(answer.category, "detractor")
        self.assertEqual(answer.salesperson_id, self.consultant)
        self.assertTrue(task.journey_nps_answered)
        with self.assertRaisesText(UserError, "already rated"):
            self.Answer._journey_record(task, 10, "", "portal")
        with self.assertRaisesText(UserError, "not changed"):
            answer.with_user(self.advisor).write({"score": 10})
        self.assertEqual(answer.score, 6)

    def test_categories(self):
        for score, category in (
            (10, "promoter"),
            (9, "promoter"),
            (8, "passive"),
            (7, "passive"),
            (0, "detractor"),
        ):
            task = self._hand_back(self._create_service_task())
            self.assertEqual(
                self.Answer._journey_record(task, score, "", "portal").category,
                category,
            )

    def test_follow_up_call_is_due_three_days_after_hand_back_and_closed_by_the_score(
        self,
    ):
        with freeze_time("2026-11-10 08:00:00"):
            task = self._hand_back(self._create_service_task())
            self.assertEqual(
                task.journey_followup_deadline, datetime(2026, 11, 13, 8, 0)
            )
            activity = task.activity_ids.filtered(
                lambda a: (
                    a.activity_type_id
                    == self.env.ref("journey_service.mail_act_follow_up_call")
                )
            )
            self.assertEqual(activity.user_id, self.advisor)
            self.assertEqual(str(activity.date_deadline), "2026-11-13")
            invitation = task.message_ids.filtered(
                lambda m: "/nps?access_token=" in (m.body or "")
            )
            self.assertEqual(
                invitation.partner_ids, self.customer, "the customer gets their link"
            )
        action = task.with_user(self.advisor).action_journey_record_followup()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.advisor)
            .with_context(**action["context"])
            .create({"score": "9", "comment": "Very happy"})
        )
        wizard.action_confirm()
        self.assertFalse(activity.exists(), "the follow-up activity is done")
        answer = task.journey_nps_answer_ids
        self.assertEqual(
            (answer.score, answer.source, answer.user_id), (9, "call", self.advisor)
        )

    def test_access(self):
        task = self._hand_back(self._create_service_task())
        answer = self.Answer._journey_record(task, 10, "", "portal")
        self.assertEqual(self.Answer.with_user(self.consultant).search([]), answer)
        self.assertFalse(self.Answer.with_user(self.consultant_2).search([]))
        with self.assertRaises(AccessError):
            answer.with_user(self.consultant_2).read(["score"])
        self.assertIn(answer, self.Answer.with_user(self.delivery).search([]))


@tagged("post_install", "-at_install")
class TestExpedite(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.consultant
        cls.Request = cls.env["journey.expedite.request"]

    def _request(self, task, user=None):
        action = task.with_user(
            user or self.consultant
        ).action_journey_request_expedite()
        return (
            self.Request.with_user(user or self.consultant)
            .with_context(**action["context"])
            .create(
                {"reason_kind": "urgent_trip", "reason": "Flies to Beijing on Friday."}
            )
        )

    def test_sales_asks_and_the_workshop_accepts(self):
        task = self._create_service_task()
        request = self._request(task)
        self.assertIn("Flies to Beijing", task.message_ids[0].body)
        self.assertEqual(request.activity_ids.user_id, self.advisor)
        with self.assertRaisesText(AccessError, "after-sales side"):
            request.with_user(self.consultant).action_accept(
                datetime.now() + timedelta(days=1)
            )
        with self.assertRaisesText(UserError, "future"):
            request.with_user(self.advisor).action_accept(
                datetime.now() - timedelta(hours=1)
            )
        promised = (datetime.now() + timedelta(days=1)).replace(microsecond=0)
        wizard = (
            self.env["journey.expedite.decision.wizard"]
            .with_user(self.advisor)
            .create(
                {
                    "request_id": request.id,
                    "decision": "accept",
                    "promised_date": promised,
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(request.state, "accepted")
        self.assertEqual(task.date_deadline, promised)
        self.assertIn(
            self.consultant.partner_id,
            request.message_ids[0].partner_ids,
            "the salesperson is told",
        )
        self.assertEqual(
            request.with_user(self.consultant).state, "accepted", "visible to sales"
        )
        with self.assertRaisesText(UserError, "already decided"):
            request.with_user(self.advisor).action_decline("loaner_car", "")

    def test_decline_offers_an_alternative(self):
        request = self._request(self._create_service_task())
        with self.assertRaisesText(UserError, "loaner car"):
            request.with_user(self.advisor).action_decline(False, "")
        request.with_user(self.advisor).action_decline(
            "loaner_car", "An Aurora until Friday."
        )
        self.assertEqual(
            (request.state, request.alternative), ("declined", "loaner_car")
        )
        self.assertIn("Loaner Car", request.task_id.message_ids[0].body)

    def test_another_salesperson_does_not_see_the_request(self):
        request = self._request(self._create_service_task())
        self.assertFalse(
            self.Request.with_user(self.consultant_2).search([("id", "=", request.id)])
        )
