from datetime import timedelta

from odoo import api, fields, models


class JourneyServiceDemo(models.AbstractModel):
    """The demo dealership's story after the sale, played through the same methods
    staff use (called from ``journey_service_demo.xml``); no business code here."""

    _name = "journey.service.demo"
    _description = "Journey Service Demo Data"

    @api.model
    def _get_handover_briefs(self):
        """What the salesperson tells the delivery specialist about each demo
        customer (see their needs and concerns in ``journey_service_demo.xml``)."""
        return {
            "sun_hao": {
                "background": self.env._(
                    "Engineer; bought his first car from us in 2019, now needs seven "
                    "seats."
                ),
                "special_requests": self.env._(
                    "Wants the delivery on a Saturday morning with the whole family."
                ),
            },
            "wang_fang": {
                "background": self.env._(
                    "Works at the car plant 80 km from home; her first electric car, "
                    "charged in her own garage."
                ),
                "special_requests": self.env._(
                    "Show her the winter range and cabin pre-heating at the delivery; "
                    "she prefers a phone call to messages."
                ),
            },
        }

    @api.model
    def _play_handover_to_delivery(self, order_id, receiver_id, customer):
        """The salesperson briefs the delivery specialist on ``customer`` (a key of
        ``_get_handover_briefs``)."""
        order = self.env["sale.order"].browse(order_id)
        handover = order.journey_handover_ids.filtered(
            lambda h: h.kind == "sales_delivery"
        )[:1]
        handover.with_user(order.user_id).write(
            dict(self._get_handover_briefs()[customer], receiver_id=receiver_id)
        )
        handover.with_user(order.user_id).action_send()
        return handover

    @api.model
    def _play_delivery_and_first_visit(
        self, order_id, specialist_id, advisor_id, model_id
    ):
        """A delivery and a first workshop visit, then their dates moved into the
        past."""
        order = self.env["sale.order"].browse(order_id)
        specialist = self.env["res.users"].browse(specialist_id)
        advisor = self.env["res.users"].browse(advisor_id)
        task = order.journey_task_ids.filtered(
            lambda t: t.journey_work_type == "delivery"
        )[:1]
        handover = self._play_handover_to_delivery(order.id, specialist.id, "wang_fang")
        handover.with_user(specialist).action_acknowledge()
        task.journey_checklist_ids.with_user(specialist).write(
            {"fulfillment_state": "fulfilled"}
        )
        task.with_user(specialist)._journey_hold_ceremony(
            {
                "model_id": model_id,
                "vin_sn": "LAURA7SUV2L000218",
                "license_plate": "沪AD12345",
                "driver_id": order.partner_id.id,
            },
            advisor,
            (task.company_id or self.env.company)._journey_first_service_bounds(
                fields.Date.today()
            )[0],
        )
        task.with_user(specialist).stage_id = self.env.ref(
            "journey_service.stage_delivery_done"
        )
        delivered = order.commitment_date
        task.journey_step_ids.sudo().write({"date_entered": delivered})
        order.sudo().journey_delivered_on = delivered
        service_handover = order.journey_handover_ids.filtered(
            lambda h: h.kind == "delivery_service"
        )
        service_handover.sudo().write(
            {
                "date_deadline": delivered + timedelta(hours=24),
                "call_deadline": delivered + timedelta(days=3),
            }
        )
        service_handover.with_user(specialist).write(
            {
                "background": self.env._(
                    "Commutes 80 km a day; careful driver, reads the manual."
                )
            }
        )
        service_handover.with_user(specialist).action_send()
        service_handover.with_user(advisor).action_acknowledge()
        service_handover.with_user(advisor).write(
            {
                "call_note": self.env._(
                    "Introduced myself; she asked about winter range."
                )
            }
        )
        service_handover.with_user(advisor).action_call_done()
        visit = self._play_first_visit(order, task, advisor)
        handover.with_user(order.user_id).write(
            {"call_note": self.env._("Three-party video call, 15 minutes.")}
        )
        handover.with_user(order.user_id).action_call_done()
        # What the workshop heard goes back to sales.
        self.env["crm.lead"].with_user(advisor)._journey_raise_from_service(
            order.partner_id,
            "additional_purchase",
            "b",
            self.env._("Her husband asked about a second car for the weekends."),
            task=visit,
        )
        return task

    @api.model
    def _play_first_visit(self, order, delivery, advisor):
        """A wheel alignment three days ago used one of the two free services."""
        Task = self.env["project.task"].with_user(advisor)
        visit = Task.create(
            {
                "name": self.env._("Wheel alignment, pulls to the left"),
                "project_id": self.env.ref("journey_service.project_service").id,
                "stage_id": self.env.ref(
                    "journey_service.stage_service_appointment"
                ).id,
                "partner_id": order.partner_id.id,
                "journey_vehicle_id": delivery.journey_vehicle_id.id,
                "journey_service_advisor_id": advisor.id,
                "journey_bay_id": self.env.ref("journey_service.bay_2").id,
                "journey_job_ids": [
                    fields.Command.set(
                        self.env.ref("journey_service.job_wheel_alignment").ids
                    )
                ],
                "journey_free_service_id": order.commitment_ids.filtered(
                    lambda c: c._journey_is_free_service()
                )[:1].id,
                "user_ids": [fields.Command.set(advisor.ids)],
            }
        )
        for step in (
            "reception",
            "diagnosis",
            "repair",
            "handed_back",
            "follow_up",
            "done",
        ):
            visit.stage_id = self.env.ref(f"journey_service.stage_service_{step}")
        start = fields.Datetime.now().replace(
            hour=1, minute=0, second=0, microsecond=0
        ) - timedelta(days=3)
        minutes = {
            "appointment": -1440,
            "reception": 2,
            "diagnosis": 10,
            "repair": 35,
            "handed_back": 95,
            "follow_up": 4320,
            "done": 4330,
        }
        for step in visit.journey_step_ids:
            step.sudo().date_entered = start + timedelta(minutes=minutes[step.step])
        visit.sudo().write(
            {
                "journey_checkin_date": start,
                "journey_ready_date": start + timedelta(minutes=84),
            }
        )
        self.env["journey.nps.answer"].with_user(advisor)._journey_record(
            visit, 9, self.env._("Fast, and they explained everything."), "call"
        )
        return visit
