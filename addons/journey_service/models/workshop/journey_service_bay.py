from odoo import fields, models


class JourneyServiceBay(models.Model):
    _name = "journey.service.bay"
    _description = "Work Bay"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        required=True,
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="The hours this bay is available: bay utilisation divides the worked "
        "hours by them.",
    )
    task_ids = fields.One2many("project.task", "journey_bay_id", string="Visits")
    note = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Each bay code is used once per company.",
        ),
    ]
