from odoo import fields, models, tools
from odoo.tools import SQL
from odoo.tools.sql import create_index

from ..tools import company_tz_view


class JourneyKpiReport(models.AbstractModel):
    """One row per record a measure counts (a commitment, a handover, a visit...).

    The views never group: a measure is an average, a sum or a count over the rows
    of a period, computed by ``journey.kpi.measure`` with the reader's rights, and
    a pivot shows the same figure. Rates are 0/100 per row (``None`` while a row
    cannot be judged yet), so their average is a percentage.

    A local date computed from a UTC datetime cannot use an index; such a view
    also has the datetime itself as ``<date field>_utc``, which the measures
    bracket (a day either side covers every timezone) so that an index on the
    base table narrows the rows before the local date is compared.
    """

    _name = "journey.kpi.report"
    _description = "Journey KPI Report Row"
    _order = "date desc, id desc"
    # The tables the view reads: a search flushes their pending writes first.
    _depends = {
        "res.company": ["journey_kpi_tz", "partner_id"],
        "res.partner": ["tz"],
    }

    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)

    def _journey_query(self):
        """The view's SELECT (a trusted constant of the model, no user input)."""
        raise NotImplementedError

    def _journey_indexes(self):
        """Indexes the view needs on the base tables:
        ``[(name, table, [expressions], where)]``."""
        return []

    def init(self):
        if self._abstract:
            return
        company_tz_view(self.env.cr)
        for name, table, expressions, where in self._journey_indexes():
            create_index(self.env.cr, name, table, expressions, where=where)
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                SQL(self._journey_query()),  # pylint: disable=sql-injection
            )
        )
