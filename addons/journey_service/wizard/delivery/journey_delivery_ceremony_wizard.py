from odoo import api, fields, models


class JourneyDeliveryCeremonyWizard(models.TransientModel):
    """At the three-party delivery: record the vehicle, assign the service advisor
    and book the first service on the spot (``project.task._journey_hold_ceremony``)."""

    _name = "journey.delivery.ceremony.wizard"
    _description = "Delivery Ceremony"

    task_id = fields.Many2one("project.task", required=True, readonly=True)
    partner_id = fields.Many2one(related="task_id.partner_id")
    vehicle_id = fields.Many2one(related="task_id.journey_vehicle_id")
    model_id = fields.Many2one(
        "fleet.vehicle.model", string="Vehicle Model", required=True
    )
    vin_sn = fields.Char(string="VIN", required=True)
    license_plate = fields.Char(string="Plate")
    driver_id = fields.Many2one(
        "res.partner",
        required=True,
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
            company = wizard.task_id.company_id or self.env.company
            wizard.first_service_min, wizard.first_service_max = (
                company._journey_first_service_bounds(fields.Date.context_today(self))
            )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        task = self.env["project.task"].browse(
            values.get("task_id") or self.env.context.get("active_id")
        )
        if task:
            vehicle = task.journey_vehicle_id
            partner = task.partner_id
            company = task.company_id or self.env.company
            low, high = company._journey_first_service_bounds(
                fields.Date.context_today(self)
            )
            first_service = task.journey_first_service_task_id.date_deadline
            values.update(
                task_id=task.id,
                model_id=vehicle.model_id.id,
                vin_sn=vehicle.vin_sn,
                license_plate=vehicle.license_plate,
                driver_id=(vehicle.driver_id or partner).id,
                service_advisor_id=partner.commercial_partner_id.journey_service_advisor_id.id,
                first_service_date=(first_service and first_service.date())
                or low + (high - low) / 2,
            )
        return {
            key: value
            for key, value in values.items()
            if key in fields_list or key == "task_id"
        }

    def action_confirm(self):
        self.ensure_one()
        self.task_id._journey_hold_ceremony(
            {
                "model_id": self.model_id.id,
                "vin_sn": self.vin_sn,
                "license_plate": self.license_plate,
                "driver_id": self.driver_id.id,
            },
            self.service_advisor_id,
            self.first_service_date,
        )
        return {"type": "ir.actions.act_window_close"}
