"""The customer rates their delivery too: the day 30 survey of the care plan asks
the NPS question about the delivery, on the customer's own page, and the answer
counts in the joint NPS with the service visits'."""

from datetime import date

from freezegun import freeze_time
from lxml import html

from odoo import Command, http
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common_care import JourneyCareCommon

DELIVERED = "2026-11-02 02:00:00"  # 10:00 in Shanghai
DAY_30 = "2026-12-02 02:00:00"


class JourneyDeliveryNpsCommon(JourneyCareCommon):
    """A vehicle delivered on the shipped care plan, whose day 30 survey is due."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan.active = False
        cls.env.ref("journey_service.care_plan_default").active = True
        cls.survey_step = cls.env.ref("journey_service.care_step_day30_survey")
        cls.Answer = cls.env["journey.nps.answer"]

    def _deliver(self):
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        task.user_ids = self.delivery
        self._keep_all(task)
        with freeze_time(DELIVERED):
            vehicle = self._run_ceremony(task, first_service=date(2027, 3, 1))
            task.with_user(self.delivery).stage_id = self.stage["done"]
        return task, vehicle

    def _survey(self, vehicle):
        return self._events(vehicle, self.survey_step)

    def _delivery_invitations(self, task):
        return task.message_ids.filtered(
            lambda m: (
                f"/my/journey/delivery/{task.id}/nps?access_token=" in (m.body or "")
            )
        )

    def _run_care(self, when=DAY_30):
        with freeze_time(when):
            self.Event._cron_journey_run_care()


@tagged("post_install", "-at_install")
class TestDeliveryNpsCare(JourneyDeliveryNpsCommon):
    def test_day_30_survey_asks_about_the_delivery_once(self):
        task, vehicle = self._deliver()
        event = self._survey(vehicle)
        self.assertEqual(event.planned_date, date(2026, 12, 2))
        self.assertFalse(self._delivery_invitations(task), "not before day 30")
        self._run_care()
        self._run_care()
        invitation = self._delivery_invitations(task)
        self.assertEqual(len(invitation), 1, "running twice does not ask twice")
        self.assertEqual(invitation.partner_ids, self.customer)
        self.assertIn("how was your delivery?", invitation.subject)
        self.assertEqual(event.state, "done")
        self.assertIn("about the delivery", event.result)
        self.assertEqual(event.task_id, task)

    def test_a_rated_delivery_is_not_asked_again(self):
        task, vehicle = self._deliver()
        self.Answer._journey_record(task, 9, "", "portal")
        self._run_care()
        event = self._survey(vehicle)
        self.assertEqual(event.state, "skipped")
        self.assertIn("already rated the delivery", event.result)
        self.assertFalse(self._delivery_invitations(task))

    def test_a_rated_delivery_lets_the_survey_ask_about_the_last_visit(self):
        task, vehicle = self._deliver()
        self.Answer._journey_record(task, 9, "", "portal")
        visit = self._hand_back(
            self._create_service_task(journey_vehicle_id=vehicle.id)
        )
        self._run_care()
        event = self._survey(vehicle)
        self.assertEqual(event.state, "done")
        self.assertEqual(event.task_id, visit)
        self.assertFalse(self._delivery_invitations(task))

    def test_an_undone_delivery_is_not_rated(self):
        order = self._confirmed_order()
        task = self._delivery_task(order).with_env(self.env)
        with self.assertRaisesText(UserError, "handed over"):
            self.Answer._journey_record(task, 9, "", "portal")
        self.assertFalse(task.journey_nps_answer_ids)

    def test_joint_nps_over_delivery_and_service(self):
        task, vehicle = self._deliver()
        visit = self._hand_back(
            self._create_service_task(journey_vehicle_id=vehicle.id)
        )
        delivery_answer = self.Answer._journey_record(task, 10, "", "portal")
        visit_answer = self.Answer._journey_record(visit, 3, "", "portal")
        self.assertEqual(
            (delivery_answer.touchpoint, visit_answer.touchpoint),
            ("delivery", "service"),
        )
        self.assertEqual(delivery_answer.salesperson_id, self.consultant)
        answers = delivery_answer | visit_answer
        by_touchpoint = dict(
            self.Answer._read_group(
                [("id", "in", answers.ids)], ["touchpoint"], ["nps_value:avg"]
            )
        )
        self.assertEqual(by_touchpoint, {"delivery": 100, "service": -100})
        [(joint,)] = self.Answer._read_group(
            [("id", "in", answers.ids)], aggregates=["nps_value:avg"]
        )
        self.assertEqual(joint, 0)
        search = self.env["ir.ui.view"].browse(
            self.Answer.get_view(view_type="search")["id"]
        )
        self.assertIn("group_touchpoint", search.arch)


@tagged("post_install", "-at_install")
class TestDeliveryNpsPortal(HttpCaseWithUserPortal, JourneyDeliveryNpsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_portal.partner_id.parent_id = cls.customer
        cls.other_portal = cls.env["res.users"].create(
            {
                "name": "Other Customer",
                "login": "other_portal",
                "password": "other_portal",
                "partner_id": cls.other_customer.id,
                "groups_id": [Command.set(cls.env.ref("base.group_portal").ids)],
            }
        )

    def _answer(self, task, token, score="9", comment="Smooth handover"):
        return self.url_open(
            f"/my/journey/delivery/{task.id}/nps",
            data={
                "access_token": token,
                "score": score,
                "comment": comment,
                "csrf_token": http.Request.csrf_token(self),
            },
        )

    def test_customer_answers_the_day_30_survey_from_the_link(self):
        self.authenticate(None, None)
        task, vehicle = self._deliver()
        vehicle.license_plate = "沪A88888"
        self._run_care()
        event = self._survey(vehicle)
        token = task._portal_ensure_token()
        url = f"/my/journey/delivery/{task.id}/nps"
        page = html.fromstring(self.url_open(f"{url}?access_token={token}").text)
        self.assertEqual(
            page.xpath("//h2")[0].text_content().strip(), "Your vehicle delivery"
        )
        header = " ".join(
            page.xpath("//p[contains(@class, 'o_journey_nps_delivery')]")[0]
            .text_content()
            .split()
        )
        self.assertRegex(
            header,
            r"^Journey Motors EV SUV · 沪A88888 · .+ · your delivery specialist: "
            + self.delivery.name,
        )
        self.assertTrue(page.xpath("//form[@id='journey_nps_form']"))
        response = self._answer(task, token, score="11")
        self.assertIn("0 to 10", response.text)
        self.assertIn("Smooth handover", response.text, "the comment is kept")
        response = self._answer(task, token)
        self.assertIn("Thank you for your answer", response.text)
        self.env.invalidate_all()
        answer = task.journey_nps_answer_ids
        self.assertEqual(
            (answer.score, answer.touchpoint, answer.source, answer.comment),
            (9, "delivery", "portal", "Smooth handover"),
        )
        self.assertIn("The customer answered 9/10.", event.result)
        self.assertIn("about the delivery", event.result)
        response = self._answer(task, token, score="2")
        self.assertIn("already", response.text)
        self.env.invalidate_all()
        self.assertEqual(
            task.journey_nps_answer_ids.score, 9, "a second answer is refused"
        )

    def test_before_the_delivery_is_done_a_friendly_message(self):
        self.authenticate(None, None)
        task = self._delivery_task(self._confirmed_order()).with_env(self.env)
        token = task._portal_ensure_token()
        url = f"/my/journey/delivery/{task.id}/nps"
        page = self.url_open(f"{url}?access_token={token}")
        self.assertIn("once your vehicle is handed over to you", page.text)
        self.assertNotIn("journey_nps_form", page.text)
        self.assertIn("handed over", self._answer(task, token).text)
        self.env.invalidate_all()
        self.assertFalse(task.journey_nps_answer_ids)

    @mute_logger("odoo.http")
    def test_the_customers_own_login_but_no_one_elses(self):
        task, _vehicle = self._deliver()
        url = f"/my/journey/delivery/{task.id}/nps"
        self.authenticate("other_portal", "other_portal")
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self._answer(task, "").status_code, 404)
        self.authenticate("portal", "portal")
        self.assertIn("How likely are you to recommend us", self.url_open(url).text)
        self.assertIn("Thank you for your answer", self._answer(task, "").text)
        self.env.invalidate_all()
        self.assertEqual(task.journey_nps_answer_ids.user_id, self.user_portal)
