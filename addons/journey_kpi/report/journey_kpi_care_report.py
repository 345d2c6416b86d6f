from odoo import fields, models

from odoo.addons.journey_service.models.care.journey_care_event import (
    STATE_SELECTION,
)

from ..tools import local_date


class JourneyKpiCareReport(models.Model):
    """One row per care event, dated when it is planned. Done on time means done
    within the company's grace days after the planned date; a skipped event (the
    customer opted out) is not counted."""

    _name = "journey.kpi.care.report"
    _inherit = "journey.kpi.report"
    _description = "Care Plan Analysis"
    _auto = False
    _rec_name = "event_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "journey.care.event": [
            "company_id",
            "salesperson_id",
            "partner_id",
            "vehicle_id",
            "plan_id",
            "step_id",
            "state",
            "planned_date",
            "done_on",
        ],
        "res.company": ["journey_kpi_care_grace_days"],
        "fleet.vehicle": ["journey_order_id"],
        "sale.order": ["team_id"],
    }

    event_id = fields.Many2one("journey.care.event", string="Care Event", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", readonly=True)
    plan_id = fields.Many2one("journey.care.plan", readonly=True)
    step_id = fields.Many2one("journey.care.plan.step", readonly=True)
    state = fields.Selection(STATE_SELECTION, readonly=True)
    on_time_rate = fields.Float(
        string="Done on Time (%)", aggregator="avg", readonly=True
    )

    def _journey_indexes(self):
        return [
            (
                "journey_care_event_kpi_planned_idx",
                "journey_care_event",
                ["company_id", "planned_date"],
                "",
            )
        ]

    def _journey_query(self):
        return f"""
            SELECT e.id,
                   e.id AS event_id,
                   e.company_id,
                   e.salesperson_id,
                   vso.team_id,
                   e.partner_id,
                   e.vehicle_id,
                   e.plan_id,
                   e.step_id,
                   e.state,
                   e.planned_date AS date,
                   CASE
                       WHEN e.state = 'done' THEN
                           CASE WHEN {local_date("e.done_on")}
                                     <= e.planned_date + rc.journey_kpi_care_grace_days
                                THEN 100.0 ELSE 0.0 END
                       WHEN e.state = 'skipped' THEN NULL
                       WHEN e.state = 'failed' THEN 0.0
                       WHEN e.planned_date + rc.journey_kpi_care_grace_days < tz.today
                           THEN 0.0
                   END AS on_time_rate
              FROM journey_care_event e
              JOIN res_company rc ON rc.id = e.company_id
              JOIN journey_kpi_company_tz tz ON tz.company_id = e.company_id
         LEFT JOIN fleet_vehicle v ON v.id = e.vehicle_id
         LEFT JOIN sale_order vso ON vso.id = v.journey_order_id
        """
