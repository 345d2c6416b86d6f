from odoo import fields, models

from odoo.addons.journey_service.models.workshop.journey_nps_answer import (
    TOUCHPOINT_SELECTION,
)

from ..tools import local_date


class JourneyKpiNpsReport(models.Model):
    """One row per NPS answer. ``nps_value`` is +100 for a promoter (9-10), 0 for
    a passive, -100 for a detractor (0-6): its average is the NPS."""

    _name = "journey.kpi.nps.report"
    _inherit = "journey.kpi.report"
    _description = "NPS Analysis"
    _auto = False
    _rec_name = "answer_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "journey.nps.answer": [
            "company_id",
            "task_id",
            "vehicle_id",
            "touchpoint",
            "salesperson_id",
            "service_advisor_id",
            "partner_id",
            "answered_on",
            "score",
            "nps_value",
        ],
        "project.task": ["user_ids"],
        "fleet.vehicle": ["journey_order_id"],
        "sale.order": ["team_id", "journey_delivered_on"],
    }

    answer_id = fields.Many2one("journey.nps.answer", readonly=True)
    task_id = fields.Many2one("project.task", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", readonly=True)
    touchpoint = fields.Selection(TOUCHPOINT_SELECTION, readonly=True)
    advisor_id = fields.Many2one("res.users", string="Service Advisor", readonly=True)
    specialist_id = fields.Many2one(
        "res.users", string="Delivery Specialist", readonly=True
    )
    date_utc = fields.Datetime(string="Answered On (UTC)", readonly=True)
    score = fields.Float(aggregator="avg", readonly=True)
    nps_value = fields.Float(string="NPS", aggregator="avg", readonly=True)
    first_year_nps_value = fields.Float(
        string="First-Year NPS",
        aggregator="avg",
        readonly=True,
        help="The answer's NPS value when it was given within a year of the "
        "vehicle's delivery.",
    )
    service_nps_value = fields.Float(
        string="Service NPS", aggregator="avg", readonly=True
    )

    def _journey_indexes(self):
        return [
            (
                "journey_nps_answer_kpi_answered_idx",
                "journey_nps_answer",
                ["company_id", "answered_on"],
                "",
            )
        ]

    def _journey_query(self):
        return f"""
            SELECT a.id,
                   a.id AS answer_id,
                   a.company_id,
                   a.task_id,
                   a.vehicle_id,
                   a.touchpoint,
                   a.salesperson_id,
                   a.service_advisor_id AS advisor_id,
                   CASE WHEN a.touchpoint = 'delivery' THEN
                       (SELECT MIN(r.user_id) FROM project_task_user_rel r
                         WHERE r.task_id = a.task_id)
                   END AS specialist_id,
                   vso.team_id,
                   a.partner_id,
                   {local_date("a.answered_on")} AS date,
                   a.answered_on AS date_utc,
                   a.score::float AS score,
                   a.nps_value::float AS nps_value,
                   CASE WHEN vso.journey_delivered_on IS NOT NULL
                             AND a.answered_on
                                 < vso.journey_delivered_on + interval '1 year'
                        THEN a.nps_value::float END AS first_year_nps_value,
                   CASE WHEN a.touchpoint = 'service'
                        THEN a.nps_value::float END AS service_nps_value
              FROM journey_nps_answer a
              JOIN journey_kpi_company_tz tz ON tz.company_id = a.company_id
         LEFT JOIN fleet_vehicle v ON v.id = a.vehicle_id
         LEFT JOIN sale_order vso ON vso.id = v.journey_order_id
        """
