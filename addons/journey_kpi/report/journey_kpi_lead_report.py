from odoo import fields, models

from odoo.addons.journey_service.models.workshop.crm_lead import (
    LEAD_GRADE_SELECTION,
    LEAD_KIND_SELECTION,
)

from ..tools import local_date


class JourneyKpiLeadReport(models.Model):
    """One row per lead raised by the workshop (lost and archived ones too),
    dated when it was raised; converted when an order of it was confirmed."""

    _name = "journey.kpi.lead.report"
    _inherit = "journey.kpi.report"
    _description = "Service-to-Sales Lead Analysis"
    _auto = False
    _rec_name = "lead_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "crm.lead": [
            "company_id",
            "create_date",
            "user_id",
            "team_id",
            "partner_id",
            "journey_origin",
            "journey_source_task_id",
            "journey_source_partner_id",
            "journey_origin_user_id",
            "journey_lead_kind",
            "journey_lead_grade",
        ],
        "project.task": ["company_id"],
        "sale.order": ["opportunity_id", "state", "date_order"],
    }

    lead_id = fields.Many2one("crm.lead", readonly=True)
    advisor_id = fields.Many2one("res.users", string="Raised By", readonly=True)
    kind = fields.Selection(LEAD_KIND_SELECTION, readonly=True)
    grade = fields.Selection(LEAD_GRADE_SELECTION, readonly=True)
    date_utc = fields.Datetime(string="Raised On (UTC)", readonly=True)
    converted_rate = fields.Float(
        string="Converted (%)", aggregator="avg", readonly=True
    )
    hours_to_order = fields.Float(
        string="Hours to Order",
        aggregator="avg",
        readonly=True,
        help="Hours from the lead being raised to its first confirmed order.",
    )

    def _journey_indexes(self):
        return [
            (
                "crm_lead_journey_kpi_raised_idx",
                "crm_lead",
                ["create_date"],
                "journey_origin = 'service'",
            )
        ]

    def _journey_query(self):
        return f"""
            SELECT l.id,
                   l.id AS lead_id,
                   COALESCE(l.company_id, t.company_id) AS company_id,
                   l.user_id AS salesperson_id,
                   l.team_id,
                   COALESCE(l.journey_source_partner_id, l.partner_id) AS partner_id,
                   l.journey_origin_user_id AS advisor_id,
                   l.journey_lead_kind AS kind,
                   l.journey_lead_grade AS grade,
                   {local_date("l.create_date", "COALESCE(tz.tz, 'UTC')")} AS date,
                   l.create_date AS date_utc,
                   CASE WHEN o.date_order IS NOT NULL THEN 100.0 ELSE 0.0
                   END AS converted_rate,
                   CASE WHEN o.date_order IS NOT NULL THEN
                       GREATEST(EXTRACT(EPOCH FROM o.date_order - l.create_date), 0)
                           / 3600.0
                   END AS hours_to_order
              FROM crm_lead l
         LEFT JOIN project_task t ON t.id = l.journey_source_task_id
         LEFT JOIN journey_kpi_company_tz tz
                ON tz.company_id = COALESCE(l.company_id, t.company_id)
         LEFT JOIN LATERAL (
                   SELECT MIN(so.date_order) AS date_order
                     FROM sale_order so
                    WHERE so.opportunity_id = l.id AND so.state = 'sale'
                   ) o ON TRUE
             WHERE l.journey_origin = 'service'
        """
