from odoo import fields, models

from odoo.addons.journey_service.models.handover.journey_handover import (
    KIND_SELECTION,
    STATE_SELECTION,
)

from ..tools import local_date, local_now


class JourneyKpiHandoverReport(models.Model):
    """One row per handover, of both kinds. Its date is the brief's deadline;
    the call is counted on its own deadline, accuracy on the acknowledgement."""

    _name = "journey.kpi.handover.report"
    _inherit = "journey.kpi.report"
    _description = "Handover Analysis"
    _auto = False
    _rec_name = "handover_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "journey.handover": [
            "company_id",
            "kind",
            "state",
            "salesperson_id",
            "partner_id",
            "order_id",
            "sender_id",
            "receiver_id",
            "date_deadline",
            "call_deadline",
            "date_acknowledged",
            "date_sent",
            "call_done_on",
            "return_count",
        ],
        "sale.order": ["team_id"],
    }

    handover_id = fields.Many2one("journey.handover", readonly=True)
    kind = fields.Selection(KIND_SELECTION, readonly=True)
    state = fields.Selection(STATE_SELECTION, readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    sender_id = fields.Many2one("res.users", readonly=True)
    receiver_id = fields.Many2one("res.users", readonly=True)
    specialist_id = fields.Many2one(
        "res.users", string="Delivery Specialist", readonly=True
    )
    advisor_id = fields.Many2one("res.users", string="Service Advisor", readonly=True)
    date_utc = fields.Datetime(string="Brief Due (UTC)", readonly=True)
    date_call_deadline = fields.Date(string="Call Due", readonly=True)
    date_call_deadline_utc = fields.Datetime(string="Call Due (UTC)", readonly=True)
    date_acknowledged = fields.Date(string="Acknowledged On", readonly=True)
    date_acknowledged_utc = fields.Datetime(
        string="Acknowledged On (UTC)", readonly=True
    )
    brief_on_time_rate = fields.Float(
        string="Brief on Time (%)", aggregator="avg", readonly=True
    )
    call_on_time_rate = fields.Float(
        string="Call on Time (%)", aggregator="avg", readonly=True
    )
    accuracy_rate = fields.Float(
        string="Information Accuracy (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the receiver acknowledged the handover without returning it "
        "for missing information, 0 when it was returned first.",
    )

    def _journey_indexes(self):
        return [
            (
                "journey_handover_kpi_deadline_idx",
                "journey_handover",
                ["company_id", "date_deadline"],
                "",
            ),
            (
                "journey_handover_kpi_call_deadline_idx",
                "journey_handover",
                ["company_id", "call_deadline"],
                "call_deadline IS NOT NULL",
            ),
            (
                "journey_handover_kpi_acknowledged_idx",
                "journey_handover",
                ["company_id", "date_acknowledged"],
                "date_acknowledged IS NOT NULL",
            ),
        ]

    def _journey_query(self):
        now = local_now()
        return f"""
            SELECT h.id,
                   h.id AS handover_id,
                   h.company_id,
                   h.kind,
                   h.state,
                   h.salesperson_id,
                   so.team_id,
                   h.partner_id,
                   h.order_id,
                   h.sender_id,
                   h.receiver_id,
                   CASE WHEN h.kind = 'sales_delivery' THEN h.receiver_id
                        ELSE h.sender_id END AS specialist_id,
                   CASE WHEN h.kind = 'delivery_service' THEN h.receiver_id
                   END AS advisor_id,
                   {local_date("h.date_deadline")} AS date,
                   h.date_deadline AS date_utc,
                   h.call_deadline AS date_call_deadline_utc,
                   h.date_acknowledged AS date_acknowledged_utc,
                   {local_date("h.call_deadline")} AS date_call_deadline,
                   {local_date("h.date_acknowledged")} AS date_acknowledged,
                   CASE
                       WHEN h.date_sent IS NOT NULL THEN
                           CASE WHEN h.date_sent <= h.date_deadline
                                THEN 100.0 ELSE 0.0 END
                       WHEN h.date_deadline < {now} THEN 0.0
                   END AS brief_on_time_rate,
                   CASE
                       WHEN h.call_deadline IS NULL THEN NULL
                       WHEN h.call_done_on IS NOT NULL THEN
                           CASE WHEN h.call_done_on <= h.call_deadline
                                THEN 100.0 ELSE 0.0 END
                       WHEN h.call_deadline < {now} THEN 0.0
                   END AS call_on_time_rate,
                   CASE
                       WHEN h.state = 'acknowledged' THEN
                           CASE WHEN COALESCE(h.return_count, 0) = 0
                                THEN 100.0 ELSE 0.0 END
                   END AS accuracy_rate
              FROM journey_handover h
              JOIN journey_kpi_company_tz tz ON tz.company_id = h.company_id
         LEFT JOIN sale_order so ON so.id = h.order_id
        """
