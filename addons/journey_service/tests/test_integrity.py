"""Delivery, workshop and handovers cannot be talked around either: each attack
is tried with the caller's own rights and the context a JSON-RPC client may send.
"""

from datetime import datetime, timedelta

from odoo import Command, fields, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.base.tests.common import HttpCaseWithUserPortal

from .common import SIGNATURE, JourneyServiceCommon

ATTACK_CONTEXT = {
    "journey_commitment_bypass": True,
    "journey_keep_approval": True,
    "_force_unlink": True,
}


@tagged("post_install", "-at_install")
class TestServiceIntegrity(JourneyServiceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.user_id = cls.consultant
        cls.order = cls._confirmed_order().with_env(cls.env)
        cls.task = cls._delivery_task(cls.order)
        cls.task.user_ids = cls.delivery
        cls.mats = cls.task.journey_checklist_ids.filtered(
            lambda c: c.name == "Floor mats"
        )
        cls.dash_cam = cls.task.journey_checklist_ids.filtered(
            lambda c: c.name == "Dash cam"
        )
        cls.handover = cls.order.journey_handover_ids

    def _as(self, record, user):
        return record.with_user(user).with_context(**ATTACK_CONTEXT)

    # ------------------------------------------------------------------
    # 4. A signed delivery checklist stays signed
    # ------------------------------------------------------------------

    def test_specialist_cannot_reset_a_signed_checklist(self):
        self._keep_all(self.task)
        signing = self.task._journey_sign_checklist(
            "Zhao", SIGNATURE, "in_store", user=self.delivery
        )
        with self.assertRaisesText(UserError, "stays signed"):
            self._as(self.task, self.delivery).write(
                {"journey_checklist_signature_id": False}
            )
        with self.assertRaisesText(UserError, "stays signed"):
            self.task.sudo().write({"journey_checklist_signature_id": False})
        self.assertEqual(self.task.journey_checklist_signature_id, signing)
        with self.assertRaisesText(UserError, "already signed"):
            self.task._journey_sign_checklist("Zhao", SIGNATURE, "portal")
        self.assertEqual(
            self.env["journey.commitment.signature"].search_count(
                [("task_id", "=", self.task.id)]
            ),
            1,
        )

    def test_delivery_and_visit_bookkeeping_is_not_written_by_callers(self):
        visit = self._create_service_task()
        forged = {
            self.task: {
                "journey_done_processed": True,
                "journey_prepare_reminded": True,
                "journey_checklist_pdf_posted": True,
                "journey_first_service_task_id": visit.id,
                "journey_access_token": "guessable",
                "journey_order_id": False,
                "journey_vehicle_id": False,
            },
            visit: {
                "journey_checkin_date": datetime(2026, 1, 1, 8, 0),
                "journey_ready_date": datetime(2026, 1, 1, 9, 0),
                "journey_free_service_consumed": True,
                "journey_order_id": self.order.id,
            },
        }
        users = {self.task: self.delivery, visit: self.advisor}
        for record, values in forged.items():
            for name, value in values.items():
                with self.subTest(field=name), self.assertRaises(AccessError):
                    self._as(record, users[record]).write({name: value})
        self.assertFalse(visit.journey_checkin_date)
        # The buttons stamp the time themselves.
        visit.with_user(self.advisor).action_journey_checkin()
        self.assertTrue(visit.journey_checkin_date)

    # ------------------------------------------------------------------
    # 6. Fulfilment however it is written: same rules, roles that fulfil
    # ------------------------------------------------------------------

    def test_plain_write_of_fulfilment_follows_the_checklist_rules(self):
        self.dash_cam.type_id.evidence_required = True
        specialist_mats = self._as(self.mats, self.delivery)
        # A kanban card moved to another column is a plain write of the state.
        with self.assertRaisesText(UserError, "evidence"):
            self._as(self.dash_cam, self.delivery).write(
                {"fulfillment_state": "fulfilled"}
            )
        with self.assertRaisesText(UserError, "consent"):
            specialist_mats.write(
                {"fulfillment_state": "waived", "waive_reason": "Not needed"}
            )
        with self.assertRaisesText(UserError, "reason"):
            specialist_mats.write(
                {"fulfillment_state": "waived", "customer_consent": True}
            )
        with self.assertRaisesText(UserError, "after today"):
            specialist_mats.write(
                {
                    "fulfillment_state": "deferred",
                    "customer_consent": True,
                    "date_deferred": fields.Date.today(),
                }
            )
        with self.assertRaisesText(UserError, "still missing"):
            specialist_mats.write({"fulfillment_state": "partial"})
        with self.assertRaisesText(UserError, "by itself"):
            specialist_mats.write({"fulfillment_state": "in_progress"})
        with self.assertRaisesText(AccessError, "delivery specialists"):
            self._as(self.mats, self.consultant).write(
                {"fulfillment_state": "fulfilled"}
            )
        self.assertEqual(
            (self.mats | self.dash_cam).mapped("fulfillment_state"), ["open", "open"]
        )
        specialist_mats.write({"fulfillment_state": "fulfilled"})
        self.assertEqual(self.mats.fulfillment_state, "fulfilled")
        self.assertEqual(
            self.mats.fulfilled_by_id, self.delivery, "stamped with who wrote it"
        )
        self.assertTrue(
            self.mats.message_ids.filtered(
                lambda m: "Kept as promised" in (m.body or "")
            )
        )
        with self.assertRaisesText(UserError, "already"):
            specialist_mats.write(
                {
                    "fulfillment_state": "waived",
                    "customer_consent": True,
                    "waive_reason": "Changed my mind",
                }
            )

    def test_specialist_fulfils_only_the_deliveries_they_work_on(self):
        other_specialist = self.env["res.users"].create(
            {
                "name": "Other Specialist",
                "login": "jc_delivery_other",
                "groups_id": [
                    Command.set(
                        [
                            self.env.ref("base.group_user").id,
                            self.env.ref("journey_crm.group_delivery_specialist").id,
                        ]
                    )
                ],
            }
        )
        with self.assertRaises(AccessError):
            self.mats.with_user(other_specialist).write(
                {"fulfillment_state": "fulfilled"}
            )
        with self.assertRaises(AccessError):
            self.mats.with_user(self.advisor).write({"fulfillment_state": "fulfilled"})
        self.assertEqual(self.mats.fulfillment_state, "open")

    # ------------------------------------------------------------------
    # 7. NPS answers are given by the customer or recorded on the call
    # ------------------------------------------------------------------

    @mute_logger("odoo.models.unlink")
    def test_advisor_cannot_forge_a_customer_answer(self):
        visit = self._create_service_task()
        portal = self.env["res.users"].create(
            {
                "name": "Customer Zhao",
                "login": "js_portal_zhao",
                "partner_id": self.customer.id,
                "groups_id": [Command.set(self.env.ref("base.group_portal").ids)],
            }
        )
        Answer = self._as(self.env["journey.nps.answer"], self.advisor)
        with self.assertRaises(AccessError):
            Answer.create(
                {
                    "task_id": visit.id,
                    "score": 10,
                    "source": "portal",
                    "user_id": portal.id,
                }
            )
        with self.assertRaisesText(AccessError, "own page"):
            Answer._journey_record(visit, 10, "", "portal")
        with self.assertRaisesText(UserError, "handed back"):
            Answer._journey_record(visit, 10, "", "call")
        self._hand_back(visit)
        with self.assertRaisesText(AccessError, "service advisors"):
            self._as(self.env["journey.nps.answer"], self.consultant)._journey_record(
                visit, 10, "", "call"
            )
        answer = Answer._journey_record(visit, 8, "Fine", "call")
        self.assertEqual((answer.source, answer.user_id), ("call", self.advisor))
        with self.assertRaisesText(UserError, "not changed"):
            self._as(answer, self.manager).write({"score": 10})
        with self.assertRaises(AccessError):
            self._as(answer, self.cx_manager).unlink()
        with self.assertRaisesText(UserError, "kept"):
            answer.sudo().unlink()
        self.assertEqual(answer.score, 8)

    @mute_logger("odoo.models.unlink")
    def test_staff_cannot_forge_a_delivery_answer(self):
        Answer = self._as(self.env["journey.nps.answer"], self.delivery)
        with self.assertRaisesText(UserError, "handed over"):
            self.env["journey.nps.answer"]._journey_record(self.task, 10, "", "portal")
        self._keep_all(self.task)
        self._run_ceremony(self.task)
        self.task.with_user(self.delivery).stage_id = self.stage["done"]
        for user in (self.delivery, self.consultant, self.manager):
            with self.assertRaises(AccessError):
                self._as(self.env["journey.nps.answer"], user).create(
                    {"task_id": self.task.id, "score": 10, "source": "portal"}
                )
        with self.assertRaisesText(AccessError, "own page"):
            Answer._journey_record(self.task, 10, "", "portal")
        for user in (self.delivery, self.advisor, self.manager):
            with self.assertRaisesText(AccessError, "own page"):
                self._as(self.env["journey.nps.answer"], user)._journey_record(
                    self.task, 10, "", "call"
                )
        self.assertFalse(self.task.journey_nps_answer_ids)
        # sudo: as the portal controller does once it checked the customer.
        answer = self.env["journey.nps.answer"]._journey_record(
            self.task, 6, "", "portal"
        )
        self.assertEqual(answer.touchpoint, "delivery")
        with self.assertRaisesText(UserError, "already rated"):
            self.env["journey.nps.answer"]._journey_record(self.task, 10, "", "portal")
        with self.assertRaisesText(UserError, "not changed"):
            self._as(answer, self.delivery).write({"score": 10})
        with self.assertRaisesText(UserError, "kept"):
            answer.sudo().unlink()
        self.assertEqual(self.task.journey_nps_answer_ids, answer)

    # ------------------------------------------------------------------
    # 8. Expedite requests are decided by the workshop
    # ------------------------------------------------------------------

    def test_consultant_cannot_decide_their_own_expedite_request(self):
        visit = self._create_service_task()
        Request = self._as(self.env["journey.expedite.request"], self.consultant)
        values = {"task_id": visit.id, "reason_kind": "urgent_trip", "reason": "Flight"}
        for forged in (
            {"state": "accepted"},
            {"decided_by_id": self.advisor.id},
            {"promised_date": datetime.now() + timedelta(days=1)},
            {"requested_by_id": self.consultant_2.id},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Request.create(dict(values, **forged))
        request = Request.create(values)
        with self.assertRaisesText(AccessError, "Decided By"):
            request.write({"decided_by_id": self.advisor.id})
        with self.assertRaisesText(AccessError, "after-sales side"):
            request.write(
                {
                    "state": "accepted",
                    "promised_date": datetime.now() + timedelta(days=1),
                }
            )
        self.assertEqual(request.state, "requested")
        self.assertFalse(request.decided_by_id)
        # The workshop decides through the same transition, stamped with its name.
        promised = (datetime.now() + timedelta(days=1)).replace(microsecond=0)
        self._as(request, self.advisor).write(
            {"state": "accepted", "promised_date": promised}
        )
        self.assertEqual(
            (request.state, request.decided_by_id), ("accepted", self.advisor)
        )

    def test_no_request_on_a_visit_the_consultant_cannot_read(self):
        other_visit = self._create_service_task(partner=self.other_customer)
        self.other_customer.user_id = self.consultant_2
        messages = len(other_visit.message_ids)
        with self.assertRaises(AccessError):
            self._as(self.env["journey.expedite.request"], self.consultant).create(
                {"task_id": other_visit.id, "reason_kind": "media", "reason": "Spam"}
            )
        self.assertEqual(len(other_visit.message_ids), messages)

    # ------------------------------------------------------------------
    # 9. The receiver acknowledges, never the sender
    # ------------------------------------------------------------------

    def test_sender_cannot_acknowledge_their_own_handover(self):
        handover = self._as(self.handover, self.consultant)
        with self.assertRaisesText(UserError, "someone else"):
            handover.write({"receiver_id": self.consultant.id, "background": "Teacher"})
            handover.action_send()
        handover.write({"receiver_id": self.delivery.id, "background": "Teacher"})
        handover.action_send()
        with self.assertRaisesText(AccessError, "receiver"):
            handover.action_acknowledge()
        with self.assertRaisesText(AccessError, "receiver"):
            handover.write({"state": "acknowledged"})
        with self.assertRaisesText(AccessError, "Times Returned"):
            handover.write({"return_count": 0})
        self.assertEqual(self.handover.state, "sent")
        self.assertFalse(self.handover.is_first_time_right)
        self._as(self.handover, self.delivery).action_acknowledge()
        self.assertTrue(self.handover.is_first_time_right)

    def test_customer_experience_manager_who_sent_it_does_not_acknowledge_it(self):
        order = self._confirmed_order(user=self.cx_manager)
        handover = self._as(order.journey_handover_ids, self.cx_manager)
        self.assertEqual(handover.sender_id, self.cx_manager)
        handover.write({"receiver_id": self.delivery.id, "background": "Teacher"})
        handover.action_send()
        with self.assertRaisesText(AccessError, "only its receiver"):
            handover.action_acknowledge()
        self.assertEqual(handover.state, "sent")

    def test_handover_deadlines_and_stamps_are_not_written(self):
        handover = self._as(self.handover, self.consultant)
        for name, value in (
            ("date_deadline", datetime.now() + timedelta(days=30)),
            ("call_deadline", datetime.now() + timedelta(days=30)),
            ("date_sent", datetime.now()),
            ("call_done_on", datetime.now()),
            ("brief_overdue_notified", True),
            ("sender_id", self.consultant_2.id),
        ):
            with self.subTest(field=name), self.assertRaises(AccessError):
                handover.write({name: value})
        with self.assertRaises(AccessError):
            self._as(self.env["journey.handover"], self.consultant).create(
                {
                    "partner_id": self.customer.id,
                    "sender_id": self.consultant.id,
                    "date_deadline": datetime.now(),
                    "call_deadline": datetime.now(),
                    "state": "acknowledged",
                }
            )

    # ------------------------------------------------------------------
    # The figures of leads raised in after-sales, orders and vehicles
    # ------------------------------------------------------------------

    def test_lead_origin_and_response_are_not_written_by_the_salesperson(self):
        wizard = (
            self.env["journey.service.lead.wizard"]
            .with_user(self.advisor)
            .create(
                {
                    "partner_id": self.customer.id,
                    "kind": "trade_in",
                    "grade": "a",
                    "note": "Old car",
                }
            )
        )
        wizard.action_confirm()
        lead = self.env["crm.lead"].search(
            [("journey_origin_user_id", "=", self.advisor.id)]
        )
        lead_as_salesperson = self._as(lead, self.consultant)
        for name, value in (
            ("journey_responded_on", lead.create_date),
            ("journey_response_deadline", datetime.now() + timedelta(days=10)),
            ("journey_origin", False),
            ("journey_overdue_notified", True),
        ):
            with self.subTest(field=name), self.assertRaises(AccessError):
                lead_as_salesperson.write({name: value})
        with self.assertRaises(AccessError):
            self._as(self.env["crm.lead"], self.consultant).create(
                {
                    "name": "Forged",
                    "journey_origin": "service",
                    "journey_origin_user_id": self.advisor.id,
                }
            )
        self.assertFalse(lead.journey_responded_on)
        lead_as_salesperson.action_journey_responded()
        self.assertTrue(lead.journey_responded_on)

    def test_delivery_date_service_link_and_vehicle_order_are_not_written(self):
        order = self._as(self.order, self.consultant)
        with self.assertRaises(AccessError):
            order.write({"journey_delivered_on": datetime.now()})
        visit = self._create_service_task()
        with self.assertRaises(AccessError):
            order.write({"journey_service_task_id": visit.id})
        self._keep_all(self.task)
        vehicle = self._run_ceremony(self.task)
        with self.assertRaises(AccessError):
            self._as(vehicle, self.delivery).write({"journey_order_id": False})
        self.assertEqual(vehicle.journey_order_id, self.order)


@tagged("post_install", "-at_install")
class TestServicePortalIntegrity(HttpCaseWithUserPortal, JourneyServiceCommon):
    """The customer's pages with someone else's token or session."""

    @mute_logger("odoo.http")
    def test_nps_answer_with_another_visit_token_or_customer(self):
        self.authenticate(None, None)
        visit = self._create_service_task()
        other_visit = self._create_service_task(partner=self.other_customer)
        self._hand_back(visit)
        self._hand_back(other_visit)
        url = f"/my/journey/service/{visit.id}/nps"
        data = {
            "score": "0",
            "comment": "Forged",
            "csrf_token": http.Request.csrf_token(self),
        }
        response = self.url_open(
            url, data={**data, "access_token": other_visit._portal_ensure_token()}
        )
        self.assertEqual(response.status_code, 404)
        # A logged-in customer of another company answers nothing for this one.
        self.user_portal.partner_id.parent_id = self.other_customer
        self.authenticate("portal", "portal")
        data["csrf_token"] = http.Request.csrf_token(self)
        self.assertEqual(self.url_open(url, data=data).status_code, 404)
        self.assertEqual(
            self.url_open(
                f"/my/journey/delivery/{self._delivery_task(self._confirmed_order()).id}"
            ).status_code,
            404,
        )
        self.env.invalidate_all()
        self.assertFalse(visit.journey_nps_answer_ids)

    @mute_logger("odoo.http")
    def test_delivery_answer_with_another_token_or_customer(self):
        self.authenticate(None, None)
        task = self._delivery_task(self._confirmed_order()).with_env(self.env)
        task.user_ids = self.delivery
        self._keep_all(task)
        self._run_ceremony(task)
        task.with_user(self.delivery).stage_id = self.stage["done"]
        other_task = self._delivery_task(self._confirmed_order()).with_env(self.env)
        visit = self._hand_back(self._create_service_task())
        url = f"/my/journey/delivery/{task.id}/nps"
        data = {
            "score": "0",
            "comment": "Forged",
            "csrf_token": http.Request.csrf_token(self),
        }
        for token in (other_task._portal_ensure_token(), visit._portal_ensure_token()):
            response = self.url_open(url, data={**data, "access_token": token})
            self.assertEqual(response.status_code, 404)
        # The delivery is not rated on the visit's route, even with its own token.
        response = self.url_open(
            f"/my/journey/service/{task.id}/nps",
            data={**data, "access_token": task._portal_ensure_token()},
        )
        self.assertEqual(response.status_code, 404)
        # A logged-in customer of another company answers nothing for this one.
        self.user_portal.partner_id.parent_id = self.other_customer
        self.authenticate("portal", "portal")
        data["csrf_token"] = http.Request.csrf_token(self)
        self.assertEqual(self.url_open(url, data=data).status_code, 404)
        self.env.invalidate_all()
        self.assertFalse(task.journey_nps_answer_ids)
