from odoo import api, fields, models
from odoo.exceptions import ValidationError


class JourneyServiceJob(models.Model):
    """A workshop job with its standard time (wheel alignment: 0.8 h)."""

    _name = "journey.service.job"
    _description = "Service Job"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    standard_hours = fields.Float(
        string="Standard Time (Hours)",
        required=True,
        default=1.0,
        help="The time this job should take: repair durations are compared with it.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Billed As",
        check_company=True,
        help="The service product invoiced for this job on the service quotation.",
    )
    company_id = fields.Many2one("res.company", index=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Each job code is used once per company.",
        ),
    ]

    @api.constrains("standard_hours")
    def _check_standard_hours(self):
        for job in self:
            if job.standard_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "%(job)s: the standard time must be positive.", job=job.name
                    )
                )
