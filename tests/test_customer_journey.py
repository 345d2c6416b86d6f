"""One customer from the showroom to the workshop and back to sales.

Lead with promises -> signed quotation -> confirmed -> handover acknowledged ->
delivery with every promise checked and signed -> vehicle and first service
booked -> service visit with the open promise visible and a free service
consumed -> NPS answer -> lead back to sales -> the joint KPIs count it.
"""

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.journey_service.tests.common import SIGNATURE, JourneyServiceCommon


@tagged("post_install", "-at_install")
class TestCustomerJourney(JourneyServiceCommon):
    def test_showroom_to_workshop_and_back(self):
        consultant, delivery, advisor = self.consultant, self.delivery, self.advisor
        self.customer.write(
            {
                "user_id": consultant.id,
                "customer_needs": "A second child is coming: seven seats.",
                "customer_concerns": "Winter range.",
                "preferred_contact_method": "phone",
            }
        )

        # Showroom: the opportunity carries the promises.
        lead = (
            self.env["crm.lead"]
            .with_user(consultant)
            .create(
                {
                    "name": "Aurora for the Zhao family",
                    "type": "opportunity",
                    "partner_id": self.customer.id,
                    "user_id": consultant.id,
                }
            )
        )
        promises = (
            self.env["journey.commitment"]
            .with_user(consultant)
            .create(
                [
                    {
                        "lead_id": lead.id,
                        "type_id": self.type_mats.id,
                        "name": "Floor mats",
                    },
                    {
                        "lead_id": lead.id,
                        "type_id": self.type_dash_cam.id,
                        "name": "Dash cam",
                    },
                    {
                        "lead_id": lead.id,
                        "type_id": self.type_free_maintenance.id,
                        "name": "Two free services in 24 months",
                        "uses_total": 2,
                        "period_months": 24,
                    },
                    {
                        "lead_id": lead.id,
                        "type_id": self.type_charger.id,
                        "name": "Home charger",
                    },
                ]
            )
        )
        self.assertEqual(len(promises), 4)

        # The quotation made from the opportunity receives them; the customer signs.
        order = self._create_order(opportunity_id=lead.id)
        self.assertEqual(
            sorted(order.commitment_ids.mapped("name")),
            [
                "Dash cam",
                "Floor mats",
                "Home charger",
                "Two free services in 24 months",
            ],
        )
        order.with_user(consultant).action_declare_commitments()
        # As the portal's signing route does, once it checked the customer's token.
        order.sudo().write(
            {
                "signature": SIGNATURE,
                "signed_by": "Zhao Lei",
                "signed_on": fields.Datetime.now(),
            }
        )
        self.assertTrue(all(order.commitment_ids.mapped("signed_on")))
        order.with_user(consultant).action_confirm()
        self.assertEqual(order.state, "sale")

        # Sales -> delivery: one delivery, a handover pre-filled from the profile.
        task = self._delivery_task(order)
        self.assertEqual(len(task), 1)
        self.assertEqual(
            sorted(task.journey_checklist_ids.mapped("name")),
            ["Dash cam", "Floor mats"],
        )
        action = order.with_user(consultant).action_journey_handover()
        wizard = (
            self.env["journey.handover.wizard"]
            .with_user(consultant)
            .with_context(**action["context"])
            .create({"receiver_id": delivery.id, "background": "Teacher; first EV."})
        )
        self.assertEqual(wizard.needs, "A second child is coming: seven seats.")
        wizard.action_send()
        handover = order.journey_handover_ids
        handover.with_user(delivery).action_acknowledge()
        self.assertTrue(handover.is_first_time_right)
        self.assertEqual(task.user_ids, delivery)

        # The delivery: every promise checked, the customer signs, vehicle and
        # first service recorded.
        self._keep_all(task, user=delivery)
        signing = task._journey_sign_checklist(
            "Zhao Lei", SIGNATURE, "in_store", user=delivery
        )
        self.assertEqual(signing.commitment_ids, task.journey_checklist_ids)
        vehicle = self._run_ceremony(task, user=delivery, advisor=advisor)
        task.with_user(delivery).stage_id = self.stage["done"]
        self.assertEqual(task.state, "1_done")
        self.assertEqual(vehicle.journey_partner_id, self.customer)
        self.assertEqual(vehicle.journey_order_id, order)
        first_service = task.journey_first_service_task_id
        self.assertEqual(first_service.journey_vehicle_id, vehicle)
        self.assertEqual(first_service.journey_service_advisor_id, advisor)
        low, high = first_service.company_id._journey_first_service_bounds(
            fields.Date.today()
        )
        self.assertTrue(low <= first_service.date_deadline.date() <= high)

        # Delivery -> after-sales handover, acknowledged by the advisor.
        to_service = order.journey_handover_ids.filtered(
            lambda h: h.kind == "delivery_service"
        )
        self.assertEqual(to_service.receiver_id, advisor)
        to_service.with_user(delivery).write({"background": "Careful driver."})
        to_service.with_user(delivery).action_send()
        to_service.with_user(advisor).action_acknowledge()

        # The first service: the open promises are on top of the visit and the
        # free service is consumed when the visit is done.
        visit = first_service.with_user(advisor)
        free = order.commitment_ids.filtered(lambda c: c.uses_total == 2)
        self.assertEqual(visit.journey_free_service_id, free)
        self.assertIn(free, visit.journey_open_commitment_ids)
        charger = order.commitment_ids.filtered(lambda c: c.name == "Home charger")
        self.assertIn(
            charger,
            visit.journey_open_commitment_ids,
            "the advisor sees the open promise",
        )
        self.assertIn("seven seats", visit.journey_customer_notes)
        visit.journey_job_ids = [Command.set(self.job_first.ids)]
        self._hand_back(visit)
        visit.stage_id = self.service_stage["done"]
        self.assertEqual(free.uses_done, 1)
        self.assertEqual(free.fulfillment_state, "in_progress")
        self.assertTrue(visit.journey_date_handed_back)
        self.assertEqual(visit.journey_standard_hours, self.job_first.standard_hours)

        self._after_the_visit(order, visit, vehicle)

    def _after_the_visit(self, order, visit, vehicle):
        """NPS answer and a lead back to sales."""
        self._answer_nps(visit)

        # Back to sales: the workshop heard of a referral; the lead reaches the
        # customer's salesperson with a 24 h answer clock.
        wizard = (
            self.env["journey.service.lead.wizard"]
            .with_user(self.advisor)
            .with_context(default_task_id=visit.id)
            .create(
                {
                    "kind": "referral",
                    "grade": "a",
                    "note": "Her colleague wants the same car.",
                    "referral_name": "Colleague Wu",
                    "referral_phone": "+86 138 0000 0000",
                }
            )
        )
        wizard.action_confirm()
        lead = self.env["crm.lead"].search([("journey_source_task_id", "=", visit.id)])
        self.assertEqual(lead.user_id, self.consultant)
        self.assertEqual(lead.journey_referrer_id, self.customer)
        self.assertEqual(lead.journey_lead_grade, "a")
        self.assertTrue(lead.journey_response_deadline)
        self.assertIn(lead, self.env["crm.lead"].with_user(self.consultant).search([]))
        self._joint_figures(lead)

    def _joint_figures(self, lead):
        """The joint KPIs count this journey for the people who made it, from
        the consultant's own board."""
        measures = self.env["journey.kpi.measure"].with_user(self.consultant)
        filters = measures._journey_clean_filters(
            {"company_ids": lead.company_id.ids, "period": "this_month"}
        )
        filters_mine = dict(filters, user_id=self.consultant.id)
        codes = ["nps_first_year", "lead_conversion", "sales_volume"]
        figures = {
            measure.code: groups.get(None)
            for measure, groups in measures.search([("code", "in", codes)])
            ._journey_compute(filters_mine)
            .items()
        }
        self.assertEqual(figures["nps_first_year"], (100.0, 1), "a 9 is a promoter")
        self.assertEqual(
            figures["lead_conversion"], (0.0, 1), "the workshop's lead is not sold yet"
        )
        self.assertEqual(figures["sales_volume"], (1.0, 1), "one car sold")
        board = measures.get_board_data(filters_mine)
        accuracy = next(m for m in board["measures"] if m["code"] == "info_accuracy")
        self.assertEqual(
            (accuracy["value"], accuracy["sample"]),
            (100.0, 2),
            "both handovers (to delivery, to after-sales) acknowledged first time",
        )

    def _answer_nps(self, visit):
        """The customer answers from the link the hand-back sent them."""
        invitation = visit.message_ids.filtered(
            lambda m: "/nps?access_token=" in (m.body or "")
        )
        self.assertEqual(invitation.partner_ids, self.customer)
        answer = (
            self.env["journey.nps.answer"]
            .sudo()
            ._journey_record(visit, 9, "Quick and kind.", "portal")
        )
        self.assertEqual(answer.category, "promoter")
        self.assertEqual(answer.vehicle_id, visit.journey_vehicle_id)
        self.assertIn(
            answer,
            self.env["journey.nps.answer"].with_user(self.consultant).search([]),
            "the salesperson reads the answer of their customer",
        )
