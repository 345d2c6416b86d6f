from datetime import datetime, time

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class JourneyDeliveryCeremonyWizard(models.TransientModel):
    """At the three-party delivery: record the vehicle, assign the service advisor
    and book the first service on the spot."""

    _name = "journey.delivery.ceremony.wizard"
    _description = "Delivery Ceremony"

    task_id = fields.Many2one("project.task", required=True, readonly=True)
    partner_id = fields.Many2one(related="task_id.partner_id")
    vehicle_id = fields.Many2one(related="task_id.journey_vehicle_id")
    model_id = fields.Many2one("fleet.vehicle.model", string="Vehicle Model", required=True)
    vin_sn = fields.Char(string="VIN", required=True)
    license_plate = fields.Char(string="Plate")
    driver_id = fields.Many2one(
        "res.partner", required=True,
        help="The customer, or the person a company buyer names.",
    )
    service_advisor_id = fields.Many2one(
        "res.users",
        required=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("journey_crm.group_service_advisor").ids),
        ],
    )
    first_service_date = fields.Date(string="First Service On", required=True)
    first_service_min = fields.Date(compute="_compute_first_service_bounds")
    first_service_max = fields.Date(compute="_compute_first_service_bounds")

    @api.depends("task_id")
    def _compute_first_service_bounds(self):
        for wizard in self:
            wizard.first_service_min, wizard.first_service_max = self.env[
                "project.task"]._journey_first_service_bounds()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        task = self.env["project.task"].browse(values.get("task_id") or self.env.context.get("active_id"))
        if task:
            vehicle = task.journey_vehicle_id
            partner = task.partner_id
            low, high = task._journey_first_service_bounds()
            values.update(
                task_id=task.id,
                model_id=vehicle.model_id.id,
                vin_sn=vehicle.vin_sn,
                license_plate=vehicle.license_plate,
                driver_id=(vehicle.driver_id or partner).id,
                service_advisor_id=partner.commercial_partner_id.journey_service_advisor_id.id,
                first_service_date=(task.journey_first_service_task_id.date_deadline
                                    and task.journey_first_service_task_id.date_deadline.date())
                or low + (high - low) / 2,
            )
        return {key: value for key, value in values.items() if key in fields_list or key == "task_id"}

    def action_confirm(self):
        self.ensure_one()
        task = self.task_id
        if task.journey_work_type != "delivery":
            raise UserError(self.env._("The ceremony belongs to a delivery."))
        if task.journey_is_done:
            raise UserError(self.env._("This delivery is already done."))
        low, high = task._journey_first_service_bounds()
        if not low <= self.first_service_date <= high:
            raise ValidationError(
                self.env._("Book the first service between %(low)s and %(high)s (3 to 6 months out).",
                           low=low, high=high)
            )
        vehicle = self._journey_record_vehicle()
        partner = task.partner_id.commercial_partner_id
        partner.sudo().journey_service_advisor_id = self.service_advisor_id
        task.sudo().journey_vehicle_id = vehicle
        promises = task.journey_checklist_ids | task.journey_order_id.commitment_ids.filtered(
            lambda c: c.is_current and not c.vehicle_id
        )
        # sudo: the vehicle a promise belongs to is the ledger's bookkeeping.
        promises.sudo().write({"vehicle_id": vehicle.id})
        self._journey_book_first_service(vehicle)
        task.message_post(
            body=self.env._(
                "Ceremony: vehicle %(vehicle)s recorded, %(advisor)s is the service advisor, "
                "first service on %(date)s.",
                vehicle=vehicle.display_name, advisor=self.service_advisor_id.name,
                date=self.first_service_date,
            )
        )
        return {"type": "ir.actions.act_window_close"}

    def _journey_record_vehicle(self):
        task = self.task_id
        values = {
            "model_id": self.model_id.id,
            "vin_sn": (self.vin_sn or "").strip().upper(),
            "license_plate": (self.license_plate or "").strip().upper() or False,
            "driver_id": self.driver_id.id,
            "journey_partner_id": task.partner_id.commercial_partner_id.id,
            "journey_order_id": task.journey_order_id.id,
            "company_id": (task.company_id or self.env.company).id,
        }
        vehicle = task.journey_vehicle_id
        if vehicle:
            # The vehicle keeps the order it was sold with.
            vehicle.write({key: value for key, value in values.items() if key != "journey_order_id"})
        else:
            vehicle = self.env["fleet.vehicle"].create(values)
        return vehicle

    def _journey_book_first_service(self, vehicle):
        task = self.task_id
        # 9:00 in the dealership's time zone, stored in UTC.
        tz = pytz.timezone(self.env.user.tz or task.company_id.partner_id.tz or "UTC")
        start = tz.localize(datetime.combine(self.first_service_date, time(9, 0))).astimezone(
            pytz.UTC).replace(tzinfo=None)
        existing = task.journey_first_service_task_id
        if existing:
            existing.sudo().write({"date_deadline": start,
                                   "journey_service_advisor_id": self.service_advisor_id.id})
            return existing
        company = task.company_id or self.env.company
        project = self.env["project.project"]._journey_get_project("service", company)
        if not project:
            raise UserError(self.env._("There is no after-sales service project to book the first service in."))
        stage = project.type_ids.filtered(lambda s: s.journey_step == "appointment")[:1]
        free_service = task.journey_order_id.commitment_ids.filtered(
            lambda c: c.is_current and c._journey_is_free_service()
            and c.fulfillment_state in ("open", "in_progress") and c.uses_done < c.uses_total
        )[:1]
        first = self.env["project.task"].sudo().create(
            {
                "name": self.env._("First service: %(vehicle)s", vehicle=vehicle.display_name),
                "project_id": project.id,
                "stage_id": stage.id,
                "partner_id": task.partner_id.id,
                "company_id": company.id,
                "journey_order_id": task.journey_order_id.id,
                "journey_vehicle_id": vehicle.id,
                "journey_service_advisor_id": self.service_advisor_id.id,
                "journey_free_service_id": free_service.id,
                "date_deadline": start,
                "user_ids": [fields.Command.set(self.service_advisor_id.ids)],
            }
        )
        task.sudo().journey_first_service_task_id = first
        return first
