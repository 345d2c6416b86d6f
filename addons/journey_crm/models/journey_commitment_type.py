from odoo import api, fields, models
from odoo.exceptions import ValidationError

CATEGORY_SELECTION = [
    ("delivery_date", "Delivery Date"),
    ("gift", "Gift"),
    ("free_service", "Free Service"),
    ("price", "Price or Discount"),
    ("service_level", "Service Level"),
    ("other", "Other"),
]
POLICY_SELECTION = [
    ("standard", "Standard"),
    ("special", "Special (needs approval)"),
]
DEPARTMENT_SELECTION = [
    ("sales", "Sales"),
    ("delivery", "Delivery"),
    ("after_sales", "After-Sales"),
]
DUE_RULE_SELECTION = [
    ("at_delivery", "At Delivery"),
    ("days_after_delivery", "Within N Days of Delivery"),
    ("fixed_date", "By a Fixed Date"),
    ("over_period", "N Times over a Period"),
    # A service level that holds for a period (repairs within 3 days for 3 years):
    # not used a number of times, kept throughout.
    ("during_period", "Throughout a Period"),
]


class JourneyCommitmentType(models.Model):
    _name = "journey.commitment.type"
    _description = "Commitment Type"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char(
        required=True,
        help="Short unique code used by reports and integrations.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(
        translate=True,
        groups="base.group_user",
        help="Explains to the sales team when this promise may be made: staff only.",
    )
    category = fields.Selection(CATEGORY_SELECTION, required=True, default="other")
    policy = fields.Selection(
        POLICY_SELECTION,
        required=True,
        default="standard",
        help="Special promises fall outside the dealership's policy: an after-sales "
        "manager must approve them before the customer sees them.",
    )
    department = fields.Selection(
        DEPARTMENT_SELECTION,
        required=True,
        default="delivery",
        help="Department that fulfils this promise.",
    )
    due_rule = fields.Selection(
        DUE_RULE_SELECTION,
        required=True,
        default="at_delivery",
        help="When the promise falls due.",
    )
    due_days = fields.Integer(
        string="Due Within (Days)",
        help="Days after delivery, for promises due within N days.",
    )
    period_months = fields.Integer(
        string="Period (Months)",
        help="Length of the period over which the promise is used.",
    )
    uses_total = fields.Integer(
        string="Number of Uses",
        help="How many times the customer may use the promise over the period.",
    )
    evidence_required = fields.Boolean(
        help="The person who fulfils the promise must attach evidence (a photo, an "
        "invoice).",
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        help="The product handed over, so that stock and cost can follow.",
    )
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to share this type between companies.",
    )
    commitment_count = fields.Integer(compute="_compute_commitment_count")

    @api.depends_context("company")
    def _compute_commitment_count(self):
        data = dict(
            self.env["journey.commitment"]._read_group(
                [("type_id", "in", self.ids), ("is_current", "=", True)],
                ["type_id"],
                ["__count"],
            )
        )
        for commitment_type in self:
            commitment_type.commitment_count = data.get(commitment_type._origin, 0)

    @api.constrains("code", "company_id")
    def _check_code_unique(self):
        for commitment_type in self:
            domain = [
                ("id", "!=", commitment_type.id),
                ("code", "=", commitment_type.code),
                ("active", "in", (True, False)),
            ]
            if commitment_type.company_id:
                domain.append(
                    ("company_id", "in", (commitment_type.company_id.id, False))
                )
            # sudo: a code is unique among the types the user cannot see too.
            if self.sudo().search_count(domain, limit=1):
                raise ValidationError(
                    self.env._(
                        "The code %(code)s is already used by another commitment type "
                        "of this company.",
                        code=commitment_type.code,
                    )
                )

    @api.constrains("due_rule", "due_days", "period_months", "uses_total")
    def _check_due_rule(self):
        for commitment_type in self:
            commitment_type._validate_due_rule_values(
                commitment_type.due_rule,
                commitment_type.due_days,
                commitment_type.period_months,
                commitment_type.uses_total,
                commitment_type.name,
            )

    @api.model
    def _validate_due_rule_values(
        self, due_rule, due_days, period_months, uses_total, label
    ):
        """Shared by types and commitments: the parameters each due rule needs."""
        if min(due_days or 0, period_months or 0, uses_total or 0) < 0:
            raise ValidationError(
                self.env._(
                    "%(name)s: days, months and uses cannot be negative.", name=label
                )
            )
        if due_rule == "days_after_delivery" and not due_days:
            raise ValidationError(
                self.env._(
                    "%(name)s: say within how many days of delivery it is due.",
                    name=label,
                )
            )
        if due_rule == "during_period" and not period_months:
            raise ValidationError(
                self.env._(
                    "%(name)s: say for how many months after delivery the promise "
                    "holds.",
                    name=label,
                )
            )
        if due_rule == "over_period" and not (period_months and uses_total):
            raise ValidationError(
                self.env._(
                    "%(name)s: a promise over a period needs the number of uses and "
                    "the period in months.",
                    name=label,
                )
            )

    def action_view_commitments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "journey_crm.journey_commitment_action"
        )
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id}
        return action
