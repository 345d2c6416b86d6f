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

    @api.depends("journey_task_ids.journey_work_type")
    def _compute_journey_task_count(self):
        """The workshop visits of the vehicle (its delivery is on its order)."""
        for vehicle in self:
            vehicle.journey_task_count = len(
                vehicle.journey_task_ids.filtered(
                    lambda t: t.journey_work_type == "service"
                )
            )

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
        """The vehicle's workshop visits, in the workshop's own views (never Odoo's
        generic task form, with its milestones, sales order items and sub-tasks)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_service.project_task_action_journey_service"
        )
        action["domain"] = [
            ("journey_work_type", "=", "service"),
            ("journey_vehicle_id", "=", self.id),
        ]
        action["context"] = {
            "default_project_id": self.env.ref("journey_service.project_service").id,
            "default_journey_vehicle_id": self.id,
            "default_partner_id": self.journey_partner_id.id,
        }
        return action
