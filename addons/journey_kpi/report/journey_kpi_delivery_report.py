from odoo import fields, models

from ..tools import local_date


class JourneyKpiDeliveryReport(models.Model):
    """One row per delivery date the customer signed: the current, signed
    delivery-date promise of an order (not the order's editable field). Its date
    is the signed date; the order is delivered on time when its car was handed
    over on or before it."""

    _name = "journey.kpi.delivery.report"
    _inherit = "journey.kpi.report"
    _description = "Delivery on the Signed Date Analysis"
    _auto = False
    _rec_name = "order_id"
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
            "company_id",
            "order_id",
            "is_current",
            "category",
            "signed_on",
            "fulfillment_state",
            "date_deadline",
        ],
    }

    commitment_id = fields.Many2one("journey.commitment", readonly=True)
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

    def _journey_indexes(self):
        return [
            (
                "journey_commitment_kpi_delivery_date_idx",
                "journey_commitment",
                ["company_id", "date_deadline"],
                "category = 'delivery_date' AND is_current "
                "AND signed_on IS NOT NULL AND fulfillment_state != 'cancelled'",
            )
        ]

    def _journey_query(self):
        return f"""
            SELECT c.id,
                   c.id AS commitment_id,
                   c.company_id,
                   so.user_id AS salesperson_id,
                   so.team_id,
                   so.partner_id,
                   so.id AS order_id,
                   d.task_id,
                   (SELECT MIN(r.user_id) FROM project_task_user_rel r
                     WHERE r.task_id = d.task_id) AS specialist_id,
                   c.date_deadline AS date,
                   {local_date("so.journey_delivered_on")} AS date_delivered,
                   CASE
                       WHEN so.journey_delivered_on IS NOT NULL THEN
                           CASE WHEN {local_date("so.journey_delivered_on")}
                                     <= c.date_deadline
                                THEN 100.0 ELSE 0.0 END
                       WHEN c.date_deadline < tz.today THEN 0.0
                   END AS on_time_rate
              FROM journey_commitment c
              JOIN sale_order so ON so.id = c.order_id
              JOIN journey_kpi_company_tz tz ON tz.company_id = c.company_id
        CROSS JOIN LATERAL (
                   SELECT MIN(t.id) AS task_id
                     FROM project_task t
                    WHERE t.journey_order_id = so.id
                      AND t.journey_work_type = 'delivery'
                      AND t.active
                   ) d
             WHERE c.category = 'delivery_date'
               AND c.is_current
               AND c.signed_on IS NOT NULL
               AND c.fulfillment_state != 'cancelled'
        """
