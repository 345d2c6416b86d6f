from odoo import fields, models

from odoo.addons.base.models.res_partner import _tz_get


class ResCompany(models.Model):
    _inherit = "res.company"

    journey_kpi_tz = fields.Selection(
        _tz_get,
        string="Reporting Timezone",
        help="The timezone in which the KPIs cut days, weeks and months. Empty: "
        "the timezone of the company's address partner, else UTC.",
    )
    journey_kpi_return_days = fields.Integer(
        string="Service Interval (days)",
        default=180,
        help="A customer whose next visit is booked within this many days after a "
        "hand-back counts as coming back (return rate).",
    )
    journey_kpi_care_grace_days = fields.Integer(
        string="Care Event Grace (days)",
        default=2,
        help="A care event done within this many days after its planned date is "
        "done on time.",
    )
    journey_kpi_pack_row_limit = fields.Integer(
        string="Meeting Pack Row Limit",
        default=500,
        help="At most this many records behind the red figures per sheet of the "
        "monthly meeting pack.",
    )
    journey_kpi_trend_weeks = fields.Integer(
        string="Trend Weeks",
        default=8,
        help="How many weeks the health board's trends show.",
    )
    journey_kpi_cx_manager_id = fields.Many2one(
        "res.users",
        string="Customer-Experience Manager",
        domain=lambda self: [
            ("groups_id", "in", self.env.ref("journey_crm.group_cx_manager").ids)
        ],
        help="Receives the improvement activities of a KPI below target two weeks "
        "running. Empty: the first customer-experience manager of the company.",
    )

    _sql_constraints = [
        (
            "journey_kpi_return_days_positive",
            "CHECK (journey_kpi_return_days > 0)",
            "The service interval must be at least one day.",
        ),
        (
            "journey_kpi_care_grace_days_positive",
            "CHECK (journey_kpi_care_grace_days >= 0)",
            "The care events' grace days cannot be negative.",
        ),
        (
            "journey_kpi_pack_row_limit_positive",
            "CHECK (journey_kpi_pack_row_limit > 0)",
            "The meeting pack needs a row limit of at least one.",
        ),
        (
            "journey_kpi_trend_weeks_range",
            "CHECK (journey_kpi_trend_weeks BETWEEN 2 AND 52)",
            "The board's trend shows between 2 and 52 weeks.",
        ),
    ]

    def _journey_kpi_tz(self):
        """The timezone name the reports use for this company."""
        self.ensure_one()
        return self.journey_kpi_tz or self.partner_id.tz or "UTC"

    def _journey_kpi_today(self):
        """Today in the company's reporting timezone."""
        self.ensure_one()
        return fields.Datetime.context_timestamp(
            self.with_context(tz=self._journey_kpi_tz()), fields.Datetime.now()
        ).date()

    def _journey_kpi_cx_manager(self):
        """Who is asked to hold the improvement meeting for this company."""
        self.ensure_one()
        if self.journey_kpi_cx_manager_id:
            return self.journey_kpi_cx_manager_id
        return self.env["res.users"].search(
            [
                ("groups_id", "in", self.env.ref("journey_crm.group_cx_manager").ids),
                ("company_ids", "in", self.ids),
                ("share", "=", False),
            ],
            order="id",
            limit=1,
        )
