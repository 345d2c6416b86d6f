from odoo import fields, models


class ResPartner(models.Model):
    """The customer's vehicles and salesperson, whichever department asks."""

    _inherit = "res.partner"

    journey_vehicle_ids = fields.One2many(
        "fleet.vehicle", "journey_partner_id", string="Vehicles"
    )
    journey_vehicle_count = fields.Integer(
        string="Vehicles Count", compute="_compute_journey_vehicle_count"
    )

    def _compute_journey_vehicle_count(self):
        """Vehicles of each customer and their contacts, counted in one query; zero
        for a user who may not read vehicles (the button is hidden then)."""
        Vehicle = self.env["fleet.vehicle"]
        counts = {}
        if Vehicle.has_access("read"):
            groups = Vehicle._read_group(
                [("journey_partner_id", "child_of", self.commercial_partner_id.ids)],
                ["journey_partner_id"],
                ["__count"],
            )
            for partner, count in groups:
                commercial = partner.commercial_partner_id
                counts[commercial] = counts.get(commercial, 0) + count
        for partner in self:
            partner.journey_vehicle_count = counts.get(
                partner._origin.commercial_partner_id, 0
            )

    def _journey_get_salesperson(self):
        """The customer's salesperson: the contact's, else who sold them their last
        car."""
        if not self:
            return self.env["res.users"]
        self.ensure_one()
        commercial = self.commercial_partner_id
        salesperson = commercial.user_id or self.user_id
        if salesperson:
            return salesperson
        # sudo: who sold the customer their car is known whatever the user may read.
        order = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("state", "=", "sale"),
                    ("user_id", "!=", False),
                ],
                order="date_order desc, id desc",
                limit=1,
            )
        )
        return order.user_id

    def action_journey_view_vehicles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "fleet.fleet_vehicle_action"
        )
        action["domain"] = [
            ("journey_partner_id", "child_of", self.commercial_partner_id.id)
        ]
        action["context"] = {
            "default_journey_partner_id": self.commercial_partner_id.id
        }
        return action
