from odoo import fields, models

from odoo.addons.journey_service.models.complaint.journey_complaint import (
    ROOT_CAUSE_SELECTION,
    STATE_SELECTION,
)

from ..tools import local_date, local_now


class JourneyKpiComplaintReport(models.Model):
    """One row per complaint, dated when it was received."""

    _name = "journey.kpi.complaint.report"
    _inherit = "journey.kpi.report"
    _description = "Complaint Analysis"
    _auto = False
    _rec_name = "complaint_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "journey.complaint": [
            "company_id",
            "state",
            "root_cause",
            "salesperson_id",
            "partner_id",
            "aftersales_user_id",
            "quality_user_id",
            "date_received",
            "date_joint_solution",
            "date_solution_deadline",
            "is_red_alert",
            "order_id",
            "vehicle_id",
        ],
        "sale.order": ["team_id"],
        "fleet.vehicle": ["journey_order_id"],
    }

    complaint_id = fields.Many2one("journey.complaint", readonly=True)
    state = fields.Selection(STATE_SELECTION, readonly=True)
    root_cause = fields.Selection(ROOT_CAUSE_SELECTION, readonly=True)
    advisor_id = fields.Many2one("res.users", string="After-Sales Owner", readonly=True)
    quality_user_id = fields.Many2one(
        "res.users", string="Quality Owner", readonly=True
    )
    date_utc = fields.Datetime(string="Received On (UTC)", readonly=True)
    answered_in_time_rate = fields.Float(
        string="Joint Solution in Time (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the joint solution was given before its deadline, 0 when "
        "the deadline passed first.",
    )
    red_alert_count = fields.Integer(
        string="Red Alerts", aggregator="sum", readonly=True
    )
    red_alert_rate = fields.Float(
        string="Red Alert (%)", aggregator="avg", readonly=True
    )

    def _journey_indexes(self):
        return [
            (
                "journey_complaint_kpi_received_idx",
                "journey_complaint",
                ["company_id", "date_received"],
                "",
            )
        ]

    def _journey_query(self):
        now = local_now()
        return f"""
            SELECT c.id,
                   c.id AS complaint_id,
                   c.company_id,
                   c.state,
                   c.root_cause,
                   c.salesperson_id,
                   COALESCE(so.team_id, vso.team_id) AS team_id,
                   c.partner_id,
                   c.aftersales_user_id AS advisor_id,
                   c.quality_user_id,
                   {local_date("c.date_received")} AS date,
                   c.date_received AS date_utc,
                   CASE
                       WHEN c.date_joint_solution IS NOT NULL THEN
                           CASE WHEN c.date_joint_solution <= c.date_solution_deadline
                                THEN 100.0 ELSE 0.0 END
                       WHEN c.date_solution_deadline < {now} THEN 0.0
                   END AS answered_in_time_rate,
                   CASE WHEN c.is_red_alert THEN 1 ELSE 0 END AS red_alert_count,
                   CASE WHEN c.is_red_alert THEN 100.0 ELSE 0.0 END AS red_alert_rate
              FROM journey_complaint c
              JOIN journey_kpi_company_tz tz ON tz.company_id = c.company_id
         LEFT JOIN sale_order so ON so.id = c.order_id
         LEFT JOIN fleet_vehicle v ON v.id = c.vehicle_id
         LEFT JOIN sale_order vso ON vso.id = v.journey_order_id
        """
