from odoo import fields, models

from ..tools import local_date


class JourneyKpiSaleReport(models.Model):
    """One row per confirmed car sale (an order with a delivery), dated when it
    was confirmed; its delivery date and vehicle feed the retention measure."""

    _name = "journey.kpi.sale.report"
    _inherit = "journey.kpi.report"
    _description = "Car Sales Analysis"
    _auto = False
    _rec_name = "order_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "sale.order": [
            "company_id",
            "state",
            "user_id",
            "team_id",
            "partner_id",
            "date_order",
            "journey_delivered_on",
            "amount_untaxed",
            "currency_rate",
            "opportunity_id",
        ],
        "fleet.vehicle": ["journey_order_id"],
        "crm.lead": ["journey_lead_kind", "journey_referrer_id"],
        "project.task": ["journey_order_id", "journey_work_type"],
    }

    order_id = fields.Many2one("sale.order", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", readonly=True)
    date_utc = fields.Datetime(string="Confirmed On (UTC)", readonly=True)
    date_delivered = fields.Date(string="Delivered On", readonly=True)
    date_delivered_utc = fields.Datetime(string="Delivered On (UTC)", readonly=True)
    amount = fields.Float(
        string="Untaxed Amount",
        aggregator="sum",
        readonly=True,
        help="In the company's currency.",
    )
    order_count = fields.Integer(string="Cars Sold", aggregator="sum", readonly=True)
    referral_rate = fields.Float(
        string="From a Referral (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the sale came from a customer's referral.",
    )

    def _journey_indexes(self):
        return [
            (
                "sale_order_journey_kpi_confirmed_idx",
                "sale_order",
                ["company_id", "date_order"],
                "state = 'sale'",
            ),
            (
                "sale_order_journey_kpi_delivered_idx",
                "sale_order",
                ["company_id", "journey_delivered_on"],
                "journey_delivered_on IS NOT NULL",
            ),
            (
                "sale_order_journey_kpi_opportunity_idx",
                "sale_order",
                ["opportunity_id"],
                "opportunity_id IS NOT NULL",
            ),
        ]

    def _journey_query(self):
        return f"""
            SELECT so.id,
                   so.id AS order_id,
                   so.company_id,
                   so.user_id AS salesperson_id,
                   so.team_id,
                   so.partner_id,
                   (SELECT MIN(v.id) FROM fleet_vehicle v
                     WHERE v.journey_order_id = so.id) AS vehicle_id,
                   {local_date("so.date_order")} AS date,
                   so.date_order AS date_utc,
                   so.journey_delivered_on AS date_delivered_utc,
                   {local_date("so.journey_delivered_on")} AS date_delivered,
                   so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1.0)
                       AS amount,
                   1 AS order_count,
                   CASE WHEN l.journey_lead_kind = 'referral'
                             OR l.journey_referrer_id IS NOT NULL
                        THEN 100.0 ELSE 0.0 END AS referral_rate
              FROM sale_order so
              JOIN journey_kpi_company_tz tz ON tz.company_id = so.company_id
         LEFT JOIN crm_lead l ON l.id = so.opportunity_id
             WHERE so.state = 'sale'
               AND EXISTS (
                   SELECT 1 FROM project_task d
                    WHERE d.journey_order_id = so.id
                      AND d.journey_work_type = 'delivery'
               )
        """
