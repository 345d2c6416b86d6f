from odoo import fields, models

from ..tools import local_date, local_now


class JourneyKpiVisitReport(models.Model):
    """One row per service visit: the after-sales value chain. Its date is the
    customer's arrival; what happens once the car is handed back is counted on
    the hand-back date."""

    _name = "journey.kpi.visit.report"
    _inherit = "journey.kpi.report"
    _description = "Service Visit Analysis"
    _auto = False
    _rec_name = "task_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "project.task": [
            "company_id",
            "create_date",
            "active",
            "partner_id",
            "journey_work_type",
            "journey_service_advisor_id",
            "journey_salesperson_id",
            "journey_vehicle_id",
            "journey_bay_id",
            "journey_checkin_date",
            "journey_date_reception",
            "journey_reception_minutes",
            "journey_ready_date",
            "journey_date_repair",
            "journey_date_handed_back",
            "journey_handback_minutes",
            "journey_repair_hours",
            "journey_diagnosis_hours",
            "journey_repeat_of_id",
            "journey_followup_deadline",
            "journey_job_ids",
        ],
        "journey.service.job": ["standard_hours"],
        "journey.nps.answer": ["task_id"],
        "res.company": ["journey_kpi_return_days"],
        "fleet.vehicle": ["journey_order_id"],
        "sale.order": ["team_id"],
    }

    task_id = fields.Many2one("project.task", string="Visit", readonly=True)
    advisor_id = fields.Many2one("res.users", string="Service Advisor", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", readonly=True)
    bay_id = fields.Many2one("journey.service.bay", readonly=True)
    date_utc = fields.Datetime(string="Arrival (UTC)", readonly=True)
    date_handed_back = fields.Date(string="Handed Back On", readonly=True)
    date_handed_back_utc = fields.Datetime(string="Handed Back (UTC)", readonly=True)
    reception_minutes = fields.Float(
        string="Reception (min)",
        aggregator="avg",
        readonly=True,
        help="Minutes from the customer's arrival to the reception.",
    )
    handback_minutes = fields.Float(
        string="Hand Back (min)",
        aggregator="avg",
        readonly=True,
        help="Minutes from the car being ready to handing it back to the customer.",
    )
    repair_hours = fields.Float(aggregator="sum", readonly=True)
    standard_hours = fields.Float(
        aggregator="sum",
        readonly=True,
        help="The standard time of the visit's jobs, counted for repaired visits.",
    )
    worked_hours = fields.Float(
        aggregator="sum",
        readonly=True,
        help="Diagnosis and repair hours spent in the bay.",
    )
    first_time_fix_rate = fields.Float(
        string="Fixed First Time (%)",
        aggregator="avg",
        readonly=True,
        help="100 when no later visit repeated one of this visit's jobs on the "
        "same vehicle within the repeat window.",
    )
    followup_rate = fields.Float(
        string="Followed Up (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the follow-up call or the customer's rating is recorded, "
        "0 when its deadline passed without it.",
    )
    return_rate = fields.Float(
        string="Came Back (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the customer's next visit of the vehicle was booked within "
        "the service interval after the hand-back (a repeat of this visit's jobs "
        "does not count), 0 when the interval passed without one.",
    )

    def _journey_indexes(self):
        return [
            (
                "project_task_journey_repeat_of_id_idx",
                "project_task",
                ["journey_repeat_of_id"],
                "journey_repeat_of_id IS NOT NULL",
            ),
            (
                "project_task_journey_kpi_arrival_idx",
                "project_task",
                ["company_id", "(COALESCE(journey_checkin_date, create_date))"],
                "journey_work_type = 'service'",
            ),
            (
                "project_task_journey_kpi_handed_back_idx",
                "project_task",
                ["company_id", "journey_date_handed_back"],
                "journey_work_type = 'service' "
                "AND journey_date_handed_back IS NOT NULL",
            ),
            (
                "project_task_journey_kpi_next_visit_idx",
                "project_task",
                ["journey_vehicle_id", "create_date"],
                "journey_work_type = 'service'",
            ),
        ]

    def _journey_query(self):
        now = local_now()
        return f"""
            SELECT t.id,
                   t.id AS task_id,
                   t.company_id,
                   t.journey_service_advisor_id AS advisor_id,
                   t.journey_salesperson_id AS salesperson_id,
                   vso.team_id,
                   t.partner_id,
                   t.journey_vehicle_id AS vehicle_id,
                   t.journey_bay_id AS bay_id,
                   {local_date("COALESCE(t.journey_checkin_date, t.create_date)")}
                       AS date,
                   COALESCE(t.journey_checkin_date, t.create_date) AS date_utc,
                   {local_date("t.journey_date_handed_back")} AS date_handed_back,
                   t.journey_date_handed_back AS date_handed_back_utc,
                   CASE WHEN t.journey_checkin_date IS NOT NULL
                             AND t.journey_date_reception IS NOT NULL
                        THEN t.journey_reception_minutes END AS reception_minutes,
                   CASE WHEN t.journey_ready_date IS NOT NULL
                             AND t.journey_date_handed_back IS NOT NULL
                        THEN t.journey_handback_minutes END AS handback_minutes,
                   CASE WHEN t.journey_date_repair IS NOT NULL
                        THEN t.journey_repair_hours END AS repair_hours,
                   CASE WHEN t.journey_date_repair IS NOT NULL
                        THEN jobs.hours END AS standard_hours,
                   COALESCE(t.journey_diagnosis_hours, 0.0)
                       + COALESCE(t.journey_repair_hours, 0.0) AS worked_hours,
                   CASE
                       WHEN t.journey_date_handed_back IS NULL OR jobs.n = 0
                           THEN NULL
                       WHEN EXISTS (
                           SELECT 1 FROM project_task r
                            WHERE r.journey_repeat_of_id = t.id AND r.active
                       ) THEN 0.0
                       ELSE 100.0
                   END AS first_time_fix_rate,
                   CASE
                       WHEN t.journey_date_handed_back IS NULL THEN NULL
                       WHEN EXISTS (
                           SELECT 1 FROM journey_nps_answer a WHERE a.task_id = t.id
                       ) THEN 100.0
                       WHEN t.journey_followup_deadline < {now} THEN 0.0
                   END AS followup_rate,
                   CASE
                       WHEN t.journey_date_handed_back IS NULL THEN NULL
                       WHEN EXISTS (
                           SELECT 1 FROM project_task n
                            WHERE n.journey_vehicle_id = t.journey_vehicle_id
                              AND n.journey_work_type = 'service'
                              AND n.active
                              AND n.id != t.id
                              AND n.create_date > t.journey_date_handed_back
                              AND n.create_date <= t.journey_date_handed_back
                                  + make_interval(days => rc.journey_kpi_return_days)
                              AND n.journey_repeat_of_id IS DISTINCT FROM t.id
                       ) THEN 100.0
                       WHEN t.journey_date_handed_back
                            + make_interval(days => rc.journey_kpi_return_days) < {now}
                           THEN 0.0
                   END AS return_rate
              FROM project_task t
              JOIN res_company rc ON rc.id = t.company_id
              JOIN journey_kpi_company_tz tz ON tz.company_id = t.company_id
         LEFT JOIN fleet_vehicle v ON v.id = t.journey_vehicle_id
         LEFT JOIN sale_order vso ON vso.id = v.journey_order_id
        CROSS JOIN LATERAL (
                   SELECT COUNT(*) AS n, COALESCE(SUM(j.standard_hours), 0.0) AS hours
                     FROM journey_service_job_project_task_rel jr
                     JOIN journey_service_job j ON j.id = jr.journey_service_job_id
                    WHERE jr.project_task_id = t.id
                   ) jobs
             WHERE t.journey_work_type = 'service'
               AND t.active
        """
