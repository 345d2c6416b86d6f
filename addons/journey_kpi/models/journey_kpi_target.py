import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .journey_kpi_measure import DIRECTION_SELECTION

_logger = logging.getLogger(__name__)

SCOPE_SELECTION = [
    ("company", "Company"),
    ("team", "Sales Team"),
    ("salesperson", "Salesperson"),
    ("advisor", "Service Advisor"),
]
# The reporting field a person's target narrows the rows with.
SCOPE_PERSON_FIELD = {"salesperson": "salesperson_id", "advisor": "advisor_id"}


class JourneyKpiTarget(models.Model):
    """What a measure should reach, for a company, a sales team or one person.
    The weekly scheduled action stores the figure of each target and asks the
    customer-experience manager for an improvement meeting when it stays below
    target two weeks running."""

    _name = "journey.kpi.target"
    _description = "Journey KPI Target"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "measure_id, scope, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    measure_id = fields.Many2one(
        "journey.kpi.measure", required=True, ondelete="cascade", tracking=True
    )
    area = fields.Selection(related="measure_id.area", store=True)
    unit = fields.Selection(related="measure_id.unit")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    scope = fields.Selection(
        SCOPE_SELECTION, required=True, default="company", tracking=True
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    user_id = fields.Many2one("res.users", string="Person", tracking=True)
    target = fields.Float(required=True, tracking=True)
    direction = fields.Selection(
        DIRECTION_SELECTION,
        compute="_compute_direction",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        tracking=True,
    )
    min_sample = fields.Integer(
        string="Minimum Sample",
        default=5,
        tracking=True,
        help="A week with fewer records than this is no data, never a miss.",
    )
    active = fields.Boolean(default=True)
    value_ids = fields.One2many(
        "journey.kpi.value", "target_id", string="Weekly Values"
    )
    last_value = fields.Float(compute="_compute_last_value")
    # Read with the user's rights: a stored week is a figure the reader may not see.
    last_status = fields.Selection(
        related="value_ids.status", string="Last Week", related_sudo=False
    )

    _sql_constraints = [
        (
            "min_sample_positive",
            "CHECK (min_sample >= 1)",
            "The minimum sample is at least 1.",
        ),
    ]

    # The measure's direction is the default; an admin may turn it (rarely).
    @api.depends("measure_id")
    def _compute_direction(self):
        for target in self:
            target.direction = target.measure_id.direction or "higher"

    @api.depends("measure_id.name", "scope", "team_id.name", "user_id.name")
    def _compute_name(self):
        for target in self:
            who = (
                target.user_id.name
                if target.scope in SCOPE_PERSON_FIELD
                else target.team_id.name
                if target.scope == "team"
                else target.company_id.name
            )
            target.name = f"{target.measure_id.name or ''} · {who or ''}"

    @api.depends("value_ids.value")
    def _compute_last_value(self):
        for target in self:
            target.last_value = target.value_ids[:1].value

    @api.constrains("scope", "team_id", "user_id", "measure_id")
    def _check_scope(self):
        for target in self:
            if target.scope == "team" and not target.team_id:
                raise ValidationError(
                    self.env._("A team's target needs its sales team.")
                )
            if target.scope in SCOPE_PERSON_FIELD:
                if not target.user_id:
                    raise ValidationError(
                        self.env._("A person's target needs the person.")
                    )
                field = SCOPE_PERSON_FIELD[target.scope]
                if field not in target.measure_id._journey_person_fields():
                    raise ValidationError(
                        self.env._(
                            "%(measure)s is not measured per %(scope)s.",
                            measure=target.measure_id.name,
                            scope=dict(
                                self._fields["scope"]._description_selection(self.env)
                            )[target.scope],
                        )
                    )
            duplicate = self.search_count(
                [
                    ("id", "!=", target.id),
                    ("measure_id", "=", target.measure_id.id),
                    ("company_id", "=", target.company_id.id),
                    ("scope", "=", target.scope),
                    ("team_id", "=", target.team_id.id),
                    ("user_id", "=", target.user_id.id),
                ]
            )
            if duplicate:
                raise ValidationError(
                    self.env._(
                        "%s already has a target for this scope.",
                        target.measure_id.name,
                    )
                )

    def write(self, vals):
        result = super().write(vals)
        if "company_id" in vals:
            # Record rules are checked before a write only: a target moved to a
            # company the user does not work for is refused after it too.
            self.check_access("write")
        return result

    # ------------------------------------------------------------------
    # Which target applies
    # ------------------------------------------------------------------

    @api.model
    def _journey_find(self, measures, company_ids, team_ids=None, user_id=False):
        """The target that applies to each measure for a board's filters: the
        person's, else the team's (one team), else the company's (one company)."""
        # Archived targets apply to nothing, whatever the caller's active_test.
        domain = [
            ("measure_id", "in", measures.ids),
            ("company_id", "in", company_ids),
            ("active", "=", True),
        ]
        targets = self.search(domain)
        found = {}
        for measure in measures:
            mine = targets.filtered(lambda t, m=measure: t.measure_id == m)
            person = user_id and mine.filtered(
                lambda t: t.scope in SCOPE_PERSON_FIELD and t.user_id.id == user_id
            )
            team = (
                team_ids
                and len(team_ids) == 1
                and mine.filtered(
                    lambda t: t.scope == "team" and t.team_id.id == team_ids[0]
                )
            )
            company = len(company_ids) == 1 and mine.filtered(
                lambda t: t.scope == "company"
            )
            found[measure] = (person or team or company or self)[:1]
        return found

    def _journey_filters(self, date_from, date_to):
        self.ensure_one()
        filters = {
            "company_ids": self.company_id.ids,
            "team_ids": self.team_id.ids if self.scope == "team" else [],
            "user_id": self.user_id.id if self.scope in SCOPE_PERSON_FIELD else False,
            "person_field": SCOPE_PERSON_FIELD.get(self.scope),
            "date_from": date_from,
            "date_to": date_to,
        }
        return filters

    # ------------------------------------------------------------------
    # The weekly scheduled action
    # ------------------------------------------------------------------

    @api.model
    def _journey_last_week(self, company):
        """Monday and Sunday of the last complete week in the company's timezone."""
        today = company._journey_kpi_today()
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6)

    @api.model
    def _cron_store_weekly_values(self):
        """Store last week's figure of every target once; a second figure below
        target in a row (each on a sufficient sample) asks the company's
        customer-experience manager for an improvement meeting."""
        # sudo: the scheduled action stores the company's figures whatever its
        # user may read; each target is computed for its own company only.
        targets = self.sudo().search([("active", "=", True)], order="company_id, id")
        if not targets:
            return
        weeks = {
            company: self._journey_last_week(company) for company in targets.company_id
        }
        first = min(monday for monday, _sunday in weeks.values())
        stored = (
            self.env["journey.kpi.value"]
            .sudo()
            .search([("target_id", "in", targets.ids), ("week_start", ">=", first)])
        )
        done = {(value.target_id.id, value.week_start) for value in stored}
        for company, (monday, sunday) in weeks.items():
            for target in targets.filtered(lambda t, c=company: t.company_id == c):
                if (target.id, monday) in done:
                    continue
                target._journey_store_week(monday, sunday)

    def _journey_store_week(self, monday, sunday):
        self.ensure_one()
        measure = self.measure_id
        filters = self._journey_filters(monday, sunday)
        value, sample = measure._journey_compute(filters)[measure].get(None, (None, 0))
        status = measure._journey_status(value, sample, self)
        status = status if status in ("green", "red") else "nodata"
        # sudo: a week's value is written by the scheduled action alone (no role
        # has the right to create one).
        self.env["journey.kpi.value"].sudo().create(
            {
                "target_id": self.id,
                "week_start": monday,
                "value": value or 0.0,
                "sample": sample,
                "status": status,
                "target": self.target,
            }
        )
        previous = self.value_ids.filtered(
            lambda v: v.week_start == monday - timedelta(days=7)
        )
        if status == "red" and previous.status == "red":
            self._journey_ask_improvement(value)

    def _journey_ask_improvement(self, value):
        """An improvement meeting within 24 h and its follow-up plan within 48 h,
        unless the manager still has them open for this target."""
        self.ensure_one()
        manager = self.company_id._journey_kpi_cx_manager()
        if not manager:
            _logger.info("No customer-experience manager for %s", self.company_id.name)
            return
        meeting = self.env.ref("journey_kpi.mail_act_kpi_improvement")
        plan = self.env.ref("journey_kpi.mail_act_kpi_plan")
        if self.activity_ids.filtered(lambda a: a.activity_type_id in meeting | plan):
            return
        today = self.company_id._journey_kpi_today()
        lang_self = self.with_context(lang=manager.lang)
        summary = lang_self.env._(
            "%(measure)s below target two weeks running (%(value)s vs %(target)s)",
            measure=lang_self.measure_id.name,
            value=round(value or 0.0, 1),
            target=round(self.target, 1),
        )
        self.activity_schedule(
            "journey_kpi.mail_act_kpi_improvement",
            date_deadline=today + timedelta(days=1),
            summary=summary,
            user_id=manager.id,
            automated=True,
        )
        self.activity_schedule(
            "journey_kpi.mail_act_kpi_plan",
            date_deadline=today + timedelta(days=2),
            summary=lang_self.env._("Follow-up plan: %s", lang_self.measure_id.name),
            user_id=manager.id,
            automated=True,
        )
