from odoo import api, fields, models

from .journey_commitment import OPEN_STATES

CONTACT_METHOD_SELECTION = [
    ("wechat", "WeChat"),
    ("phone", "Phone"),
    ("sms", "SMS"),
    ("email", "E-mail"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    customer_needs = fields.Text(
        string="Needs",
        groups="base.group_user",
        help="What the customer needs from the car and the dealership.",
    )
    customer_concerns = fields.Text(
        string="Concerns",
        groups="base.group_user",
        help="What worries the customer: the staff who serve them read it first.",
    )
    preferred_contact_method = fields.Selection(
        CONTACT_METHOD_SELECTION,
        string="Preferred Contact",
        help="How the customer prefers to be reached.",
    )
    referred_by_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        help="The customer who referred this customer.",
    )
    commitment_ids = fields.One2many(
        "journey.commitment",
        "partner_id",
        string="Commitments",
        domain=[("is_current", "=", True)],
    )
    commitment_count = fields.Integer(compute="_compute_commitment_counts")
    commitment_open_count = fields.Integer(compute="_compute_commitment_counts")

    @api.depends("commitment_ids.fulfillment_state")
    def _compute_commitment_counts(self):
        groups = self.env["journey.commitment"]._read_group(
            [
                ("partner_id", "child_of", self.ids),
                ("fulfillment_state", "!=", "cancelled"),
                *self._get_customer_commitment_domain(),
            ],
            ["partner_id", "fulfillment_state"],
            ["__count"],
        )
        totals = {}
        opens = {}
        for partner, state, count in groups:
            commercial = partner.commercial_partner_id
            totals[commercial] = totals.get(commercial, 0) + count
            if state in OPEN_STATES:
                opens[commercial] = opens.get(commercial, 0) + count
        for partner in self:
            commercial = partner._origin.commercial_partner_id
            partner.commitment_count = totals.get(commercial, 0)
            partner.commitment_open_count = opens.get(commercial, 0)

    @api.model
    def _get_customer_commitment_domain(self):
        """The customer's promises, each counted once.

        An opportunity's promises are copied to each quotation made from it:
        once quoted, the quotation's lines are the customer's promises.
        """
        return [
            ("is_current", "=", True),
            "|",
            ("order_id", "!=", False),
            ("lead_id.order_ids", "=", False),
        ]

    def action_view_commitments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_crm.journey_commitment_action"
        )
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            *self._get_customer_commitment_domain(),
        ]
        action["context"] = {
            "search_default_filter_current": 1,
            "search_default_filter_open": 1,
        }
        return action
