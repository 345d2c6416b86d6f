from odoo import fields, models

from odoo.addons.journey_crm.models.journey_commitment import (
    FULFILLMENT_SELECTION,
    OPEN_STATES,
)
from odoo.addons.journey_crm.models.journey_commitment_type import (
    CATEGORY_SELECTION,
    DEPARTMENT_SELECTION,
)

from ..tools import local_date


# The date a promise is due: a deferral the customer agreed to moves it. The
# view and its index use the same expression, so the index serves the view.
def due_sql(alias=""):
    """SQL of a promise's due date, columns prefixed with ``alias``."""
    return (
        f"(CASE WHEN {alias}date_deferred IS NOT NULL AND {alias}customer_consent "
        f"THEN {alias}date_deferred ELSE {alias}date_deadline END)"
    )


class JourneyKpiCommitmentReport(models.Model):
    """One row per current version of a promise that is neither cancelled nor
    rejected. Its date is the date it is due: a deferral the customer agreed to
    moves it, and a free service over a period is due at the period's end."""

    _name = "journey.kpi.commitment.report"
    _inherit = "journey.kpi.report"
    _description = "Commitment Fulfilment Analysis"
    _auto = False
    _rec_name = "commitment_id"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "journey.commitment": [
            "company_id",
            "user_id",
            "partner_id",
            "order_id",
            "lead_id",
            "vehicle_id",
            "type_id",
            "category",
            "department",
            "fulfillment_state",
            "fulfilled_on",
            "date_deadline",
            "date_deferred",
            "customer_consent",
            "cost_amount",
            "is_current",
            "approval_state",
        ],
        "sale.order": ["team_id"],
        "crm.lead": ["team_id"],
    }

    commitment_id = fields.Many2one("journey.commitment", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    vehicle_id = fields.Many2one("fleet.vehicle", readonly=True)
    type_id = fields.Many2one("journey.commitment.type", readonly=True)
    category = fields.Selection(CATEGORY_SELECTION, readonly=True)
    department = fields.Selection(DEPARTMENT_SELECTION, readonly=True)
    fulfillment_state = fields.Selection(FULFILLMENT_SELECTION, readonly=True)
    date_fulfilled = fields.Date(string="Kept On", readonly=True)
    kept_on_time_rate = fields.Float(
        string="Kept on Time (%)",
        aggregator="avg",
        readonly=True,
        help="100 when the promise was kept by its due date, 0 when it was kept "
        "late or is still open after it; empty while it is not due yet, and for "
        "waived promises (reported apart).",
    )
    waived_rate = fields.Float(string="Waived (%)", aggregator="avg", readonly=True)
    waived_amount = fields.Float(
        string="Value Waived",
        aggregator="sum",
        readonly=True,
        help="The internal cost of the promises the customer agreed to waive, in "
        "the company's currency.",
    )
    overdue_count = fields.Integer(string="Overdue", aggregator="sum", readonly=True)

    def _journey_indexes(self):
        # The board reads one company's promises due in a period.
        return [
            (
                "journey_commitment_kpi_due_idx",
                "journey_commitment",
                ["company_id", due_sql()],
                "is_current AND fulfillment_state != 'cancelled' "
                "AND approval_state != 'rejected'",
            )
        ]

    def _journey_query(self):
        open_states = ", ".join(f"'{state}'" for state in OPEN_STATES)
        return f"""
            SELECT c.id,
                   c.id AS commitment_id,
                   c.company_id,
                   c.user_id AS salesperson_id,
                   COALESCE(so.team_id, l.team_id) AS team_id,
                   c.partner_id,
                   c.order_id,
                   c.vehicle_id,
                   c.type_id,
                   c.category,
                   c.department,
                   c.fulfillment_state,
                   d.due AS date,
                   {local_date("c.fulfilled_on")} AS date_fulfilled,
                   CASE
                       WHEN c.fulfillment_state = 'waived' OR d.due IS NULL THEN NULL
                       WHEN c.fulfillment_state = 'fulfilled'
                            AND {local_date("c.fulfilled_on")} <= d.due THEN 100.0
                       WHEN c.fulfillment_state = 'fulfilled' THEN 0.0
                       WHEN d.due < tz.today THEN 0.0
                   END AS kept_on_time_rate,
                   CASE
                       WHEN c.fulfillment_state = 'waived' THEN 100.0
                       WHEN d.due IS NULL THEN NULL
                       WHEN c.fulfillment_state = 'fulfilled' OR d.due < tz.today
                           THEN 0.0
                   END AS waived_rate,
                   CASE WHEN c.fulfillment_state = 'waived'
                        THEN COALESCE(c.cost_amount, 0.0) ELSE 0.0
                   END AS waived_amount,
                   CASE WHEN c.fulfillment_state IN ({open_states})
                             AND d.due < tz.today THEN 1 ELSE 0
                   END AS overdue_count
              FROM journey_commitment c
              JOIN journey_kpi_company_tz tz ON tz.company_id = c.company_id
         LEFT JOIN sale_order so ON so.id = c.order_id
         LEFT JOIN crm_lead l ON l.id = c.lead_id
        CROSS JOIN LATERAL (SELECT {due_sql("c.")} AS due) d
             WHERE c.is_current
               AND c.fulfillment_state != 'cancelled'
               AND c.approval_state != 'rejected'
        """
