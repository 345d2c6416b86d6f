from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .journey_kpi_target import SCOPE_PERSON_FIELD


class JourneyKpiScorecardLine(models.Model):
    _name = "journey.kpi.scorecard.line"
    _description = "Joint Scorecard Item"
    _order = "sequence, id"

    scorecard_id = fields.Many2one(
        "journey.kpi.scorecard", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="scorecard_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    measure_id = fields.Many2one(
        "journey.kpi.measure", required=True, ondelete="cascade"
    )
    weight = fields.Float(
        string="Weight (%)",
        required=True,
        help="The item's share of the score. Items without a figure or a target "
        "for a person are left out of that person's score.",
    )

    _sql_constraints = [
        ("weight_positive", "CHECK (weight >= 0)", "A weight cannot be negative."),
    ]

    @api.constrains("measure_id", "scorecard_id")
    def _check_measure_per_person(self):
        for line in self:
            field = line.scorecard_id._journey_person_field()
            if field not in line.measure_id._journey_person_fields():
                raise ValidationError(
                    self.env._(
                        "%(measure)s is not measured per person of %(card)s.",
                        measure=line.measure_id.name,
                        card=line.scorecard_id.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if "scorecard_id" in vals:
            # Record rules are checked before a write only: an item moved to the
            # scorecard of a company the user does not work for is refused.
            self.check_access("write")
        return result

    def _journey_target(self, targets, user):
        """The person's own target for the item's measure, else the company's."""
        self.ensure_one()
        mine = targets.filtered(lambda t: t.measure_id == self.measure_id)
        person_scope = [
            scope
            for scope, field in SCOPE_PERSON_FIELD.items()
            if field == self.scorecard_id._journey_person_field()
        ]
        return (
            mine.filtered(lambda t: t.scope in person_scope and t.user_id == user)
            or mine.filtered(lambda t: t.scope == "company")
        )[:1]

    def _journey_achievement(self, value, target):
        """How much of the target is reached, between 0 and 1."""
        if target.direction == "lower":
            ratio = (
                1.0
                if value <= target.target
                else (target.target / value if value else 0.0)
            )
        else:
            ratio = max(value, 0.0) / target.target if target.target > 0 else 1.0
        return max(0.0, min(ratio, 1.0))
