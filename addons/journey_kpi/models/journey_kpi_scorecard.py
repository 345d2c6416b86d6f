from odoo import api, fields, models

DEPARTMENT_SELECTION = [
    ("sales", "Sales"),
    ("aftersales", "After-Sales"),
]
# Whose figures each department's scorecard adds up.
DEPARTMENT_PERSON_FIELD = {"sales": "salesperson_id", "aftersales": "advisor_id"}


class JourneyKpiScorecard(models.Model):
    """A department's joint scorecard: weighted measures per person. Each item
    scores its achievement of the person's target (capped at 100%); an item
    without a figure or a target for that person is left out and the others'
    weights count alone, so nothing is invented."""

    _name = "journey.kpi.scorecard"
    _description = "Joint Scorecard"
    _inherit = ["mail.thread"]
    _order = "company_id, department"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    department = fields.Selection(DEPARTMENT_SELECTION, required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    active = fields.Boolean(default=True)
    line_ids = fields.One2many(
        "journey.kpi.scorecard.line", "scorecard_id", string="Items", copy=True
    )
    total_weight = fields.Float(compute="_compute_total_weight")

    _sql_constraints = [
        (
            "department_company_unique",
            "UNIQUE (department, company_id)",
            "A company has one scorecard per department.",
        ),
    ]

    @api.depends("line_ids.weight")
    def _compute_total_weight(self):
        for card in self:
            card.total_weight = sum(card.line_ids.mapped("weight"))

    @api.model
    def _journey_sees_everyone(self):
        """Whether the user scores everybody of their companies (the managers
        the reporting rules open every row to), or only themselves."""
        user = self.env.user
        return (
            self.env.su
            or user.has_group("journey_crm.group_aftersales_manager")
            or user.has_group("journey_service.group_quality_manager")
        )

    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            # Record rules are checked before a write only: a scorecard moved to
            # a company the user does not work for is refused after it too.
            self.check_access("write")
        return result

    def _journey_person_field(self):
        self.ensure_one()
        return DEPARTMENT_PERSON_FIELD[self.department]

    def _journey_compute(self, filters):
        """Each person's score and items for the filters' period.

        :return: list of ``{"user": res.users, "score": 0-100 or None, "items":
            {line: {"value", "target", "achievement"}}}``, best score first
        """
        self.ensure_one()
        field = self._journey_person_field()
        lines = self.line_ids.filtered(
            lambda line: line.measure_id.active and line.weight
        )
        if not lines:
            return []
        values = lines.measure_id._journey_compute(filters, groupby=field)
        Target = self.env["journey.kpi.target"]
        targets = Target.search(
            [
                ("measure_id", "in", lines.measure_id.ids),
                ("company_id", "=", self.company_id.id),
                ("active", "=", True),
            ]
        )
        # A consultant or an advisor reads their own rows only: another person's
        # score made of them would be a wrong figure about that person.
        only = filters.get("user_id") or (
            not self._journey_sees_everyone() and self.env.uid
        )
        users = self.env["res.users"].browse(
            {
                key
                for groups in values.values()
                for key in groups
                if key and (not only or key == only)
            }
        )
        result = []
        for user in users:
            items = {}
            for line in lines:
                value, sample = values[line.measure_id].get(user.id, (None, 0))
                target = line._journey_target(targets, user)
                if value is None or not sample or not target:
                    continue
                items[line] = {
                    "value": value,
                    "target": target.target,
                    "achievement": line._journey_achievement(value, target),
                }
            weight = sum(line.weight for line in items)
            score = (
                100.0
                * sum(line.weight * item["achievement"] for line, item in items.items())
                / weight
                if weight
                else None
            )
            result.append({"user": user, "score": score, "items": items})
        return sorted(result, key=lambda r: (r["score"] is None, -(r["score"] or 0.0)))
