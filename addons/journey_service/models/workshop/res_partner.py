from odoo import api, fields, models
from odoo.exceptions import AccessError

from odoo.addons.journey_crm.models.journey_commitment import OPEN_STATES


class ResPartner(models.Model):
    """The customer in after-sales: their advisor and what they spend on service."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    journey_service_advisor_id = fields.Many2one(
        "res.users",
        string="Service Advisor",
        tracking=True,
        domain="[('share', '=', False)]",
        help="The advisor who takes care of this customer after delivery.",
    )
    journey_service_spend = fields.Monetary(
        string="Service Spend",
        compute="_compute_journey_service_spend",
        currency_field="journey_currency_id",
        help="Confirmed service orders of this customer, untaxed.",
    )
    journey_currency_id = fields.Many2one(
        "res.currency", compute="_compute_journey_currency_id"
    )

    def write(self, vals):
        if (
            "journey_service_advisor_id" in vals
            and not self.env.su
            and not self.env.user.has_group("journey_crm.group_aftersales_manager")
        ):
            # The advisor is assigned at the delivery ceremony; an advisor records the
            # promises of their own customers, so who it is is not anyone's to change.
            raise AccessError(
                self.env._(
                    "The service advisor is assigned at the delivery ceremony or by an "
                    "after-sales manager."
                )
            )
        return super().write(vals)

    @api.depends_context("company")
    def _compute_journey_currency_id(self):
        self.journey_currency_id = self.env.company.currency_id

    def _compute_journey_service_spend(self):
        """Confirmed service orders per customer, in one query."""
        spend = {}
        for partner, amount in self.env["sale.order"]._read_group(
            [
                ("partner_id", "child_of", self.commercial_partner_id.ids),
                ("journey_service_task_id", "!=", False),
                ("state", "=", "sale"),
            ],
            ["partner_id"],
            ["amount_untaxed:sum"],
        ):
            commercial = partner.commercial_partner_id
            spend[commercial] = spend.get(commercial, 0.0) + amount
        for partner in self:
            partner.journey_service_spend = spend.get(
                partner._origin.commercial_partner_id, 0.0
            )

    def _journey_find_lead_assignee(self):
        """Who answers a lead raised in after-sales for this customer: their
        salesperson and team; else the leader of the team of the customer's last
        order, or of the default team. Users who left are skipped."""
        self.ensure_one()
        teams = self.env["crm.team"]
        team_domain = [("use_opportunities", "=", True)]
        salesperson = self._journey_get_salesperson()
        if salesperson and salesperson.active and not salesperson.share:
            return salesperson, teams._get_default_team_id(
                user_id=salesperson.id, domain=team_domain
            )
        # sudo: the team that sold to the customer is known whatever the advisor may
        # read.
        last_order = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", self.commercial_partner_id.id),
                    ("state", "!=", "cancel"),
                    ("team_id", "!=", False),
                ],
                order="date_order desc, id desc",
                limit=1,
            )
        )
        for team in (
            last_order.team_id,
            teams._get_default_team_id(domain=team_domain),
        ):
            if team.user_id.active:
                return team.user_id, team.with_env(self.env)
        return self.env["res.users"], teams

    def _journey_open_commitment_domain(self):
        """The promises still to keep for these customers (and their contacts)."""
        return [
            ("partner_id", "child_of", self.commercial_partner_id.ids),
            ("is_current", "=", True),
            ("order_id.state", "=", "sale"),
            ("fulfillment_state", "in", OPEN_STATES),
        ]
