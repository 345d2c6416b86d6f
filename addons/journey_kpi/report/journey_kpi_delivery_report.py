from odoo import fields, models

from ..tools import local_date


class JourneyKpiDeliveryReport(models.Model):
    """One row per delivery. Its date is the delivery date the customer signed
    (the current, signed delivery-date promise), not the order's editable
    field: a delivery without such a promise is never counted."""

    _name = "journey.kpi.delivery.report"
    _inherit = "journey.kpi.report"
    _description = "Delivery on the Signed Date Analysis"
    _auto = False
    _rec_name = "task_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "project.task": [
            "company_id",
            "journey_order_id",
            "journey_work_type",
            "active",
            "user_ids",
        ],
        "sale.order": ["user_id", "team_id", "partner_id", "journey_delivered_on"],
        "journey.commitment": [
            "order_id",
            "is_current",
            "category",
            "signed_on",
            "fulfillment_state",
            "date_deadline",
        ],
    }

    task_id = fields.Many2one("project.task", string="Delivery", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    specialist_id = fields.Many2one(
        "res.users", string="Delivery Specialist", readonly=True
    )
    date_delivered = fields.Date(string="Delivered On", readonly=True)
    on_time_rate = fields.Float(
        string="On the Signed Date (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the car was delivered on or before the date the customer "
        "signed, 0 when it was later or is still not delivered after it.",
    )

    def _journey_query(self):
        return f"""
            SELECT t.id,
                   t.id AS task_id,
                   t.company_id,
                   so.user_id AS salesperson_id,
                   so.team_id,
                   so.partner_id,
                   so.id AS order_id,
                   (SELECT MIN(r.user_id) FROM project_task_user_rel r
                     WHERE r.task_id = t.id) AS specialist_id,
                   sd.date_signed AS date,
                   {local_date("so.journey_delivered_on")} AS date_delivered,
                   CASE
                       WHEN sd.date_signed IS NULL THEN NULL
                       WHEN so.journey_delivered_on IS NOT NULL THEN
                           CASE WHEN {local_date("so.journey_delivered_on")}
                                     <= sd.date_signed
                                THEN 100.0 ELSE 0.0 END
                       WHEN sd.date_signed < tz.today THEN 0.0
                   END AS on_time_rate
              FROM project_task t
              JOIN sale_order so ON so.id = t.journey_order_id
              JOIN journey_kpi_company_tz tz ON tz.company_id = t.company_id
         LEFT JOIN LATERAL (
                   SELECT c.date_deadline AS date_signed
                     FROM journey_commitment c
                    WHERE c.order_id = so.id
                      AND c.is_current
                      AND c.category = 'delivery_date'
                      AND c.signed_on IS NOT NULL
                      AND c.fulfillment_state != 'cancelled'
                 ORDER BY c.id DESC
                    LIMIT 1
                   ) sd ON TRUE
             WHERE t.journey_work_type = 'delivery'
               AND t.active
        """
