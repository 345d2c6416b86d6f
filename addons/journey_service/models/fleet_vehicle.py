import re

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError

# 17 characters, digits and capitals except I, O and Q (ISO 3779, GB 16735).
VIN_PATTERN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


class FleetVehicle(models.Model):
    _inherit = "fleet.vehicle"

    journey_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        tracking=True,
        index="btree_not_null",
        help="Who bought the vehicle; a company buyer may name a different driver.",
    )
    journey_order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    journey_salesperson_id = fields.Many2one(
        "res.users",
        string="Customer's Salesperson",
        compute="_compute_journey_salesperson_id",
        store=True,
        index="btree_not_null",
    )
    journey_task_ids = fields.One2many(
        "project.task", "journey_vehicle_id", string="Visits"
    )
    journey_task_count = fields.Integer(
        string="Visits Count", compute="_compute_journey_task_count"
    )
    journey_commitment_ids = fields.One2many(
        "journey.commitment", "vehicle_id", string="Commitments"
    )

    def write(self, vals):
        if "journey_order_id" in vals and not self.env.su:
            raise AccessError(
                self.env._(
                    "The order a vehicle was sold with is recorded by its delivery "
                    "only."
                )
            )
        return super().write(vals)

    @api.depends("journey_order_id.user_id", "journey_partner_id.user_id")
    def _compute_journey_salesperson_id(self):
        for vehicle in self:
            vehicle.journey_salesperson_id = (
                vehicle.journey_order_id.user_id
                or vehicle.journey_partner_id._journey_get_salesperson()
            )

    @api.depends("journey_task_ids")
    def _compute_journey_task_count(self):
        for vehicle in self:
            vehicle.journey_task_count = len(vehicle.journey_task_ids)

    @api.constrains("vin_sn", "company_id")
    def _check_journey_vin(self):
        for vehicle in self.filtered("vin_sn"):
            if not VIN_PATTERN.match(vehicle.vin_sn):
                raise ValidationError(
                    self.env._(
                        "%(vin)s is not a valid VIN: 17 letters and digits, without I, "
                        "O or Q.",
                        vin=vehicle.vin_sn,
                    )
                )
            # sudo: a VIN is unique among the vehicles the user cannot see too.
            if self.sudo().search_count(
                [
                    ("vin_sn", "=", vehicle.vin_sn),
                    ("id", "!=", vehicle.id),
                    ("company_id", "in", [vehicle.company_id.id, False]),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "Another vehicle already has the VIN %(vin)s.",
                        vin=vehicle.vin_sn,
                    )
                )

    def action_journey_view_tasks(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visits"),
            "res_model": "project.task",
            "view_mode": "list,kanban,form",
            "domain": [("journey_vehicle_id", "=", self.id)],
            "context": {"default_journey_vehicle_id": self.id, "create": False},
        }
