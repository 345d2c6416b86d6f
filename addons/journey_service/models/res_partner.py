from odoo import api, fields, models
from odoo.exceptions import AccessError

from .project_task import BLOCKING_STATES


class ResPartner(models.Model):
    _inherit = "res.partner"

    journey_service_advisor_id = fields.Many2one(
        "res.users",
        string="Service Advisor",
        tracking=True,
        domain="[('share', '=', False)]",
        help="The advisor who takes care of this customer after delivery.",
    )
    journey_vehicle_ids = fields.One2many("fleet.vehicle", "journey_partner_id", string="Vehicles")
    journey_vehicle_count = fields.Integer(
        string="Vehicles Count", compute="_compute_journey_vehicle_count"
    )
    journey_service_spend = fields.Monetary(
        string="Service Spend",
        compute="_compute_journey_service_spend",
        currency_field="journey_currency_id",
        help="Confirmed service orders of this customer, untaxed.",
    )
    journey_currency_id = fields.Many2one("res.currency", compute="_compute_journey_currency_id")

    def write(self, vals):
        if (
            "journey_service_advisor_id" in vals
            and not self.env.su
            and not self.env.user.has_group("journey_crm.group_aftersales_manager")
        ):
            # The advisor is assigned at the delivery ceremony; an advisor records the
            # promises of their own customers, so who it is is not anyone's to change.
            raise AccessError(
                self.env._("The service advisor is assigned at the delivery ceremony or by an "
                           "after-sales manager.")
            )
        return super().write(vals)

    def _compute_journey_vehicle_count(self):
        vehicles = self.env["fleet.vehicle"]
        for partner in self:
            partner.journey_vehicle_count = vehicles.search_count(
                [("journey_partner_id", "child_of", partner.commercial_partner_id.id)]
            )

    @api.depends_context("company")
    def _compute_journey_currency_id(self):
        self.journey_currency_id = self.env.company.currency_id

    def _compute_journey_service_spend(self):
        for partner in self:
            orders = self.env["sale.order"].search(
                [
                    ("partner_id", "child_of", partner.commercial_partner_id.id),
                    ("journey_service_task_id", "!=", False),
                    ("state", "=", "sale"),
                ]
            )
            partner.journey_service_spend = sum(orders.mapped("amount_untaxed"))

    def _journey_get_salesperson(self):
        """The customer's salesperson: the contact's, else who sold them their last car."""
        if not self:
            return self.env["res.users"]
        self.ensure_one()
        commercial = self.commercial_partner_id
        salesperson = commercial.user_id or self.user_id
        if salesperson:
            return salesperson
        order = self.env["sale.order"].sudo().search(
            [("partner_id", "child_of", commercial.id), ("state", "=", "sale"),
             ("user_id", "!=", False)],
            order="date_order desc, id desc",
            limit=1,
        )
        return order.user_id

    def _journey_open_commitment_domain(self):
        """The promises still to keep for these customers (and their contacts)."""
        return [
            ("partner_id", "child_of", self.commercial_partner_id.ids),
            ("is_current", "=", True),
            ("order_id.state", "=", "sale"),
            ("fulfillment_state", "in", BLOCKING_STATES + ("deferred",)),
        ]

    def action_journey_view_vehicles(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("fleet.fleet_vehicle_action")
        action["domain"] = [("journey_partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_journey_partner_id": self.commercial_partner_id.id}
        return action
