import ast
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

AREA_SELECTION = [
    ("sales", "Sales"),
    ("delivery", "Delivery"),
    ("aftersales", "After-Sales"),
    ("joint", "Joint"),
]
UNIT_SELECTION = [
    ("percent", "Percentage"),
    ("score", "NPS Score"),
    ("minutes", "Minutes"),
    ("hours", "Hours"),
    ("count", "Count"),
    ("amount", "Amount"),
]
DIRECTION_SELECTION = [
    ("higher", "Higher is Better"),
    ("lower", "Lower is Better"),
]
AGGREGATOR_SELECTION = [
    ("avg", "Average of the Rows"),
    ("sum", "Sum of the Rows"),
    ("ratio", "Sum over Sum"),
    ("bay", "Bay Hours over Available Hours"),
    ("retention", "Customers Delivered 3+ Years Ago Still Serviced"),
]
# The dates a board, a wizard or an RPC caller may ask for.
PERIOD_FIRST_DAY = date(1950, 1, 1)
PERIOD_LAST_DAY = date(2999, 12, 31)
PERIOD_MAX_DAYS = 3660
PERIOD_SELECTION = [
    ("this_month", "This Month"),
    ("last_month", "Last Month"),
    ("this_quarter", "This Quarter"),
    ("last_3_months", "Last 3 Months"),
    ("this_year", "This Year"),
    ("last_12_months", "Last 12 Months"),
]
# The reporting rows' fields that name a person, and the scope that uses them.
PERSON_FIELDS = ("salesperson_id", "advisor_id", "specialist_id")


class JourneyKpiMeasure(models.Model):
    """A figure of the collaboration health board, defined by the reporting rows
    it reads and how it aggregates them. Every figure is computed with the
    reader's rights: the reporting views' record rules decide what they count."""

    _name = "journey.kpi.measure"
    _description = "Journey KPI Measure"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, readonly=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    area = fields.Selection(AREA_SELECTION, required=True)
    description = fields.Text(
        string="Definition",
        translate=True,
        help="The formula and the records it counts.",
    )
    unit = fields.Selection(UNIT_SELECTION, required=True, default="percent")
    direction = fields.Selection(DIRECTION_SELECTION, required=True, default="higher")
    report_model = fields.Char(required=True, readonly=True)
    aggregator = fields.Selection(
        AGGREGATOR_SELECTION, required=True, default="avg", readonly=True
    )
    value_field = fields.Char(required=True, readonly=True)
    denominator_field = fields.Char(readonly=True)
    date_field = fields.Char(required=True, default="date", readonly=True)
    domain = fields.Char(default="[]", readonly=True)
    miss_domain = fields.Char(
        default="[]",
        readonly=True,
        help="The rows behind a red figure (opened from the board, listed in the "
        "meeting pack).",
    )
    person_fields = fields.Char(
        default="salesperson_id",
        readonly=True,
        help="The reporting rows' fields naming the people this figure is about, "
        "separated by commas.",
    )
    source_field = fields.Char(
        readonly=True, help="The reporting rows' field of the record they count."
    )
    source_action = fields.Char(
        readonly=True,
        help="XML id of the window action that lists the records behind the figure.",
    )
    target_ids = fields.One2many("journey.kpi.target", "measure_id", string="Targets")

    _sql_constraints = [
        ("code_unique", "UNIQUE (code)", "Each measure has its own code."),
    ]

    @api.constrains("report_model", "value_field", "denominator_field", "date_field")
    def _check_fields(self):
        for measure in self:
            if measure.report_model not in self.env:
                raise ValidationError(
                    self.env._("Unknown reporting model: %s", measure.report_model)
                )
            report = self.env[measure.report_model]
            names = [measure.value_field, measure.date_field]
            names += [measure.denominator_field] if measure.denominator_field else []
            names += measure._journey_person_fields()
            missing = [name for name in names if name not in report._fields]
            if missing:
                raise ValidationError(
                    self.env._(
                        "The reporting model %(model)s has no field %(fields)s.",
                        model=measure.report_model,
                        fields=", ".join(missing),
                    )
                )

    # ------------------------------------------------------------------
    # Filters: periods and scopes
    # ------------------------------------------------------------------

    def _journey_person_fields(self):
        self.ensure_one()
        return [name.strip() for name in (self.person_fields or "").split(",") if name]

    @api.model
    def _journey_period_dates(self, period, today):
        """First and last day of a named period around ``today``."""
        month = today.replace(day=1)
        if period == "last_month":
            start = month - relativedelta(months=1)
            return start, month - timedelta(days=1)
        if period == "this_quarter":
            start = month.replace(month=3 * ((today.month - 1) // 3) + 1)
            return start, start + relativedelta(months=3, days=-1)
        if period == "last_3_months":
            return month - relativedelta(months=2), month + relativedelta(
                months=1, days=-1
            )
        if period == "this_year":
            return today.replace(month=1, day=1), today.replace(month=12, day=31)
        if period == "last_12_months":
            return month - relativedelta(months=11), month + relativedelta(
                months=1, days=-1
            )
        return month, month + relativedelta(months=1, days=-1)

    @api.model
    def _journey_clean_filters(self, filters):
        """Check what a board, a wizard or an RPC caller asks for. Companies are
        limited to the user's; teams and people only narrow what the reporting
        rules already let the user read, so they widen nothing."""
        if filters and not isinstance(filters, dict):
            raise UserError(self.env._("The board's filters are not valid."))
        filters = dict(filters or {})
        allowed = self.env.user.company_ids
        company_ids = self._journey_clean_ids(
            filters.get("company_ids") or self.env.company.ids
        )
        companies = self.env["res.company"].browse(company_ids).exists()
        if not companies or companies - allowed:
            raise UserError(
                self.env._("You can only read the figures of your companies.")
            )
        today = companies[0]._journey_kpi_today()
        date_from = filters.get("date_from")
        date_to = filters.get("date_to")
        if date_from or date_to:
            try:
                date_from = fields.Date.to_date(date_from)
                date_to = fields.Date.to_date(date_to)
            except (TypeError, ValueError) as error:
                raise UserError(
                    self.env._("The period's dates are not valid.")
                ) from error
            if not date_from or not date_to or date_from > date_to:
                raise UserError(
                    self.env._("The period needs a first day before its last day.")
                )
            # The computations step back years (retention) and forward a day
            # (bay hours) from these dates, and read every day between them.
            if date_from < PERIOD_FIRST_DAY or date_to > PERIOD_LAST_DAY:
                raise UserError(self.env._("The period's dates are not valid."))
            if (date_to - date_from).days > PERIOD_MAX_DAYS:
                raise UserError(self.env._("A period cannot be longer than ten years."))
        else:
            period = filters.get("period") or "this_month"
            if not isinstance(period, str) or period not in dict(PERIOD_SELECTION):
                raise UserError(self.env._("Unknown period: %s", period))
            date_from, date_to = self._journey_period_dates(period, today)
        team_ids = self._journey_clean_ids(filters.get("team_ids") or [])
        user_ids = self._journey_clean_ids(filters.get("user_id") or [])
        if len(user_ids) > 1:
            raise UserError(self.env._("The board shows one person at a time."))
        return {
            "company_ids": companies.ids,
            "team_ids": team_ids,
            "user_id": user_ids[0] if user_ids else False,
            "date_from": date_from,
            "date_to": date_to,
            "today": today,
        }

    @api.model
    def _journey_clean_ids(self, ids):
        """Record ids sent by a caller (an id, digits, or a list of them) as
        integers; anything else is refused."""
        if isinstance(ids, (int, str)):
            ids = [ids]
        if not isinstance(ids, (list, tuple)) or not all(
            (isinstance(rid, int) and not isinstance(rid, bool))
            or (isinstance(rid, str) and rid.isdigit())
            for rid in ids
        ):
            raise UserError(self.env._("The board's filters are not valid."))
        return [int(rid) for rid in ids]

    def _journey_domain(self, filters, date_from=None, date_to=None, missed=False):
        """The reporting rows of this measure for the filters' scope and period."""
        self.ensure_one()
        date_from = date_from or filters["date_from"]
        date_to = date_to or filters["date_to"]
        domains = [
            ast.literal_eval(self.domain or "[]"),
            [
                ("company_id", "in", filters["company_ids"]),
                (self.date_field, ">=", date_from),
                (self.date_field, "<=", date_to),
            ],
        ]
        utc_field = f"{self.date_field}_utc"
        if utc_field in self.env[self.report_model]._fields:
            # Any timezone is less than a day away from UTC: this bracket lets
            # the base table's index narrow the rows before the local date test.
            domains.append(
                [
                    (
                        utc_field,
                        ">=",
                        datetime.combine(date_from, time.min) - timedelta(days=1),
                    ),
                    (
                        utc_field,
                        "<",
                        datetime.combine(date_to, time.min) + timedelta(days=2),
                    ),
                ]
            )
        if filters.get("team_ids"):
            domains.append([("team_id", "in", filters["team_ids"])])
        person_field = filters.get("person_field")
        if filters.get("user_id") and person_field:
            domains.append(
                [(person_field, "=", filters["user_id"])]
                if person_field in self._journey_person_fields()
                else [("id", "=", 0)]
            )
        elif filters.get("user_id"):
            domains.append(
                expression.OR(
                    [
                        [(name, "=", filters["user_id"])]
                        for name in self._journey_person_fields()
                    ]
                    or [[("id", "=", 0)]]
                )
            )
        if missed:
            domains.append(ast.literal_eval(self.miss_domain or "[]"))
        return expression.AND(domains)

    # ------------------------------------------------------------------
    # Computation
    # ------------------------------------------------------------------

    def _journey_compute(self, filters, groupby=None, date_from=None, date_to=None):
        """Value and sample of each measure, optionally per group.

        :param filters: cleaned filters (``_journey_clean_filters``)
        :param groupby: a reporting field (``salesperson_id``, ``date:week``...)
            shared by the measures, or None for one figure
        :return: ``{measure: {group: (value, sample)}}``, the group being None
            without ``groupby``; ``value`` is None when nothing was counted
        """
        result = {}
        for measure in self:
            compute = getattr(measure, f"_journey_compute_{measure.aggregator}")
            result[measure] = compute(filters, groupby, date_from, date_to)
        return result

    def _journey_read_group(self, domain, groupby, aggregates):
        report = self.env[self.report_model]
        groups = [groupby] if groupby else []
        rows = report._read_group(domain, groups, aggregates)
        out = {}
        for row in rows:
            key = row[0] if groupby else None
            if isinstance(key, models.BaseModel):
                key = key.id or False
            out[key] = row[len(groups) :]
        return out

    def _journey_compute_avg(self, filters, groupby, date_from, date_to):
        domain = self._journey_domain(filters, date_from, date_to)
        value = self.value_field
        rows = self._journey_read_group(
            domain, groupby, [f"{value}:avg", f"{value}:count"]
        )
        return {
            key: (avg if count else None, count) for key, (avg, count) in rows.items()
        }

    def _journey_compute_sum(self, filters, groupby, date_from, date_to):
        domain = self._journey_domain(filters, date_from, date_to)
        rows = self._journey_read_group(
            domain, groupby, [f"{self.value_field}:sum", "__count"]
        )
        # No row is no data (None), not a count of zero.
        return {
            key: (total or 0.0, count) if count else (None, 0)
            for key, (total, count) in rows.items()
        }

    def _journey_compute_ratio(self, filters, groupby, date_from, date_to):
        domain = self._journey_domain(filters, date_from, date_to)
        rows = self._journey_read_group(
            domain,
            groupby,
            [f"{self.value_field}:sum", f"{self.denominator_field}:sum", "__count"],
        )
        return {
            key: (
                (part or 0.0) * 100.0 / whole if whole else None,
                count if whole else 0,
            )
            for key, (part, whole, count) in rows.items()
        }

    def _journey_compute_bay(self, filters, groupby, date_from, date_to):
        """Hours worked in the bays over the hours they were open. A figure of the
        workshop, not of a person: with a person filter there is none."""
        if filters.get("user_id") or (groupby and groupby != "bay_id"):
            return {}
        date_from = date_from or filters["date_from"]
        date_to = date_to or filters["date_to"]
        domain = self._journey_domain(filters, date_from, date_to)
        worked = self._journey_read_group(
            domain, "bay_id", [f"{self.value_field}:sum", "__count"]
        )
        available = {
            bay_id: sum(per_day.values())
            for bay_id, per_day in self._journey_bay_hours(
                filters["company_ids"], date_from, date_to
            ).items()
        }
        # A bay open no hour in the period has no figure: its hours are not
        # counted against the other bays' (nor is a period without a visit).
        if groupby:
            return {
                bay_id: ((worked[bay_id][0] or 0.0) * 100.0 / hours, worked[bay_id][1])
                for bay_id, hours in available.items()
                if hours and bay_id in worked
            }
        return {None: self._journey_bay_ratio(worked, available)}

    @api.model
    def _journey_bay_ratio(self, worked, available):
        """(utilisation, visits) of the bays open in a period."""
        open_bays = [bay_id for bay_id in worked if available.get(bay_id)]
        hours = sum(available.values())
        used = sum(worked[bay_id][0] or 0.0 for bay_id in open_bays)
        count = sum(worked[bay_id][1] for bay_id in open_bays)
        return (used * 100.0 / hours, count) if hours and count else (None, 0)

    @api.model
    def _journey_bay_hours(self, company_ids, date_from, date_to):
        """Each bay's working hours per local day, from its working schedule
        (else its company's) with public holidays left out: one computation per
        schedule for the whole period, whatever the number of weeks shown."""
        bays = self.env["journey.service.bay"].search(
            [("company_id", "in", company_ids)]
        )
        per_schedule = {}
        hours = {}
        for bay in bays:
            calendar = bay.resource_calendar_id or bay.company_id.resource_calendar_id
            if not calendar:
                continue
            key = (calendar, bay.company_id._journey_kpi_tz())
            if key not in per_schedule:
                tz = pytz.timezone(key[1])
                start = tz.localize(datetime.combine(date_from, time.min))
                end = tz.localize(
                    datetime.combine(date_to + timedelta(days=1), time.min)
                )
                per_day = defaultdict(float)
                for begin, stop, _meta in calendar._work_intervals_batch(start, end)[
                    False
                ]:
                    per_day[begin.astimezone(tz).date()] += (
                        stop - begin
                    ).total_seconds() / 3600.0
                per_schedule[key] = per_day
            hours[bay.id] = per_schedule[key]
        return hours

    def _journey_bay_weekly(self, filters, date_from, date_to):
        """Bay utilisation per Monday-week: one query and one schedule reading."""
        self.ensure_one()
        last_sunday = date_to + timedelta(days=6 - date_to.weekday())
        hours = self._journey_bay_hours(filters["company_ids"], date_from, last_sunday)
        rows = self.env[self.report_model]._read_group(
            self._journey_domain(filters, date_from, date_to),
            ["bay_id", f"{self.date_field}:day"],
            [f"{self.value_field}:sum", "__count"],
        )
        worked = defaultdict(lambda: defaultdict(lambda: [0.0, 0]))
        for bay, day, total, count in rows:
            week = worked[day - timedelta(days=day.weekday())][bay.id]
            week[0] += total or 0.0
            week[1] += count
        result = {}
        monday = date_from
        while monday <= date_to:
            days = {monday + timedelta(days=offset) for offset in range(7)}
            available = {
                bay_id: sum(h for day, h in per_day.items() if day in days)
                for bay_id, per_day in hours.items()
            }
            result[monday] = self._journey_bay_ratio(
                {bay_id: tuple(v) for bay_id, v in worked[monday].items()}, available
            )
            monday += timedelta(days=7)
        return result

    def _journey_compute_retention(self, filters, groupby, date_from, date_to):
        """Of the customers delivered three years or more before the period's end,
        the share with a service visit in the twelve months before it."""
        date_to = date_to or filters["date_to"]
        cohort_end = date_to - relativedelta(years=3)
        window_start = date_to - relativedelta(years=1) + timedelta(days=1)
        report = self.env[self.report_model]
        scope = self._journey_domain(filters, date(1900, 1, 1), cohort_end)
        scope = expression.AND([scope, [("partner_id", "!=", False)]])
        cohort = report._read_group(
            scope, [groupby, "partner_id"] if groupby else ["partner_id"], []
        )
        if not cohort:
            return {}
        partners = {row[-1].commercial_partner_id.id for row in cohort}
        visits = self.env["journey.kpi.visit.report"]._read_group(
            [
                ("company_id", "in", filters["company_ids"]),
                ("date", ">=", window_start),
                ("date", "<=", date_to),
                ("partner_id", "child_of", list(partners)),
            ],
            ["partner_id"],
            [],
        )
        serviced = {partner.commercial_partner_id.id for (partner,) in visits}
        counts = defaultdict(lambda: [set(), set()])
        for row in cohort:
            key = row[0] if groupby else None
            if isinstance(key, models.BaseModel):
                key = key.id or False
            customer = row[-1].commercial_partner_id.id
            counts[key][0].add(customer)
            if customer in serviced:
                counts[key][1].add(customer)
        return {
            key: (len(kept) * 100.0 / len(delivered), len(delivered))
            for key, (delivered, kept) in counts.items()
        }

    def _journey_retention_weekly(self, filters, mondays):
        """Retention at the end of each week: the customers' first deliveries and
        their visits are read once for all the weeks (two queries)."""
        self.ensure_one()
        last_sunday = mondays[-1] + timedelta(days=6)
        scope = self._journey_domain(
            filters, date(1900, 1, 1), last_sunday - relativedelta(years=3)
        )
        first_delivery = {}
        for partner, delivered in self.env[self.report_model]._read_group(
            expression.AND([scope, [("partner_id", "!=", False)]]),
            ["partner_id"],
            [f"{self.date_field}:min"],
        ):
            customer = partner.commercial_partner_id.id
            first_delivery[customer] = min(
                delivered, first_delivery.get(customer, delivered)
            )
        if not first_delivery:
            return {}
        first_sunday = mondays[0] + timedelta(days=6)
        visit_days = defaultdict(set)
        for partner, day in self.env["journey.kpi.visit.report"]._read_group(
            [
                ("company_id", "in", filters["company_ids"]),
                ("date", ">", first_sunday - relativedelta(years=1)),
                ("date", "<=", last_sunday),
                ("partner_id", "child_of", list(first_delivery)),
            ],
            ["partner_id", "date:day"],
            [],
        ):
            visit_days[partner.commercial_partner_id.id].add(day)
        result = {}
        for monday in mondays:
            sunday = monday + timedelta(days=6)
            since = sunday - relativedelta(years=1)
            cohort = [
                customer
                for customer, delivered in first_delivery.items()
                if delivered <= sunday - relativedelta(years=3)
            ]
            kept = [
                customer
                for customer in cohort
                if any(since < day <= sunday for day in visit_days[customer])
            ]
            if cohort:
                result[monday] = (len(kept) * 100.0 / len(cohort), len(cohort))
        return result

    # ------------------------------------------------------------------
    # Status against a target
    # ------------------------------------------------------------------

    @api.model
    def _journey_status(self, value, sample, target):
        """'green', 'red', 'nodata' (nothing counted), 'low' (fewer records than
        the target's minimum sample: too few to judge, never a miss) or 'none'
        (no target)."""
        if value is None or not sample:
            return "nodata"
        if not target:
            return "none"
        if sample < target.min_sample:
            return "low"
        if target.direction == "lower":
            return "green" if value <= target.target else "red"
        return "green" if value >= target.target else "red"

    # ------------------------------------------------------------------
    # Click-through
    # ------------------------------------------------------------------

    def _journey_action_records(self, filters, missed=True):
        """The window action listing the records behind this figure (the red ones
        by default), read with the user's rights."""
        self.ensure_one()
        report = self.env[self.report_model]
        rows = report.search(self._journey_domain(filters, missed=missed))
        source = rows.mapped(self.source_field) if self.source_field else rows
        if self.source_action:
            action = self.env["ir.actions.act_window"]._for_xml_id(self.source_action)
        else:
            action = {
                "type": "ir.actions.act_window",
                "res_model": source._name,
                "views": [(False, "list"), (False, "form")],
            }
        action.update(
            {
                "name": self.name,
                "domain": [("id", "in", source.ids)],
                "context": {"create": False},
                "target": "current",
            }
        )
        return action

    @api.model
    def action_journey_open_records(self, measure_id, filters, missed=True):
        """Called by the health board: the records behind a figure."""
        measure = self.browse(self._journey_clean_ids(measure_id)).exists()
        if len(measure) != 1:
            raise UserError(self.env._("This measure no longer exists."))
        return measure._journey_action_records(
            self._journey_clean_filters(filters), missed=bool(missed)
        )

    # ------------------------------------------------------------------
    # The collaboration health board
    # ------------------------------------------------------------------

    @api.model
    def get_board_data(self, filters=None):
        """Everything the health board shows for its filters, in one call.

        :param filters: ``{"company_ids": [...], "team_ids": [...], "user_id":
            id, "period": "this_month"...}`` or ``date_from``/``date_to``
        :return: the filters' choices and, per measure, its figure, target,
            status and weekly trend
        """
        filters = self._journey_clean_filters(filters)
        measures = self.search([("active", "=", True)])
        targets = self.env["journey.kpi.target"]._journey_find(
            measures, filters["company_ids"], filters["team_ids"], filters["user_id"]
        )
        values = measures._journey_compute(filters)
        weeks = self.env.company.browse(
            filters["company_ids"][0]
        ).journey_kpi_trend_weeks
        trend_to = min(filters["date_to"], filters["today"])
        trend_from = trend_to - timedelta(days=trend_to.weekday() + 7 * (weeks - 1))
        area_labels = dict(self._fields["area"]._description_selection(self.env))
        board = []
        for measure in measures:
            value, sample = values[measure].get(None, (None, 0))
            target = targets[measure]
            trend = measure._journey_trend(filters, trend_from, trend_to)
            board.append(
                {
                    "id": measure.id,
                    "code": measure.code,
                    "name": measure.name,
                    "description": measure.description or "",
                    "area": measure.area,
                    "area_label": area_labels[measure.area],
                    "unit": measure.unit,
                    "direction": target.direction or measure.direction,
                    "value": value,
                    "sample": sample,
                    "target": target.target if target else None,
                    "min_sample": target.min_sample if target else None,
                    "status": self._journey_status(value, sample, target),
                    "trend": trend,
                }
            )
        return {
            "filters": {
                "company_ids": filters["company_ids"],
                "team_ids": filters["team_ids"],
                "user_id": filters["user_id"],
                "date_from": fields.Date.to_string(filters["date_from"]),
                "date_to": fields.Date.to_string(filters["date_to"]),
            },
            "choices": self._journey_board_choices(filters),
            # Amounts are in the company's currency (the first one's, for several).
            "currency_id": self.env["res.company"]
            .browse(filters["company_ids"][0])
            .currency_id.id,
            "measures": board,
            "scorecards": self._journey_board_scorecards(filters),
        }

    def _journey_trend(self, filters, date_from, date_to):
        """The measure week by week (Monday to Sunday, whatever the reader's
        language starts its weeks with), oldest first."""
        self.ensure_one()
        mondays = []
        monday = date_from
        while monday <= date_to:
            mondays.append(monday)
            monday += timedelta(days=7)
        if self.aggregator == "bay":
            if filters.get("user_id"):
                per_week = {}
            else:
                per_week = self._journey_bay_weekly(filters, date_from, date_to)
            weeks = [(monday, *per_week.get(monday, (None, 0))) for monday in mondays]
        elif self.aggregator == "retention":
            per_week = self._journey_retention_weekly(filters, mondays)
            weeks = [(monday, *per_week.get(monday, (None, 0))) for monday in mondays]
        else:
            per_week = self._journey_compute_weekly(filters, date_from, date_to)
            weeks = [(monday, *per_week.get(monday, (None, 0))) for monday in mondays]
        return [
            {"week": fields.Date.to_string(monday), "value": value, "sample": sample}
            for monday, value, sample in weeks
        ]

    def _journey_compute_weekly(self, filters, date_from, date_to):
        """Sums and counts per day, added up per Monday-week: one query."""
        self.ensure_one()
        domain = self._journey_domain(filters, date_from, date_to)
        value, denominator = self.value_field, self.denominator_field
        aggregates = [f"{value}:sum", f"{value}:count", "__count"]
        if self.aggregator == "ratio":
            aggregates.append(f"{denominator}:sum")
        rows = self.env[self.report_model]._read_group(
            domain, [f"{self.date_field}:day"], aggregates
        )
        weeks = defaultdict(lambda: [0.0, 0, 0, 0.0])
        for day, total, counted, count, *whole in rows:
            week = weeks[day - timedelta(days=day.weekday())]
            week[0] += total or 0.0
            week[1] += counted
            week[2] += count
            week[3] += whole[0] or 0.0 if whole else 0.0
        result = {}
        for monday, (total, counted, count, whole) in weeks.items():
            if self.aggregator == "avg":
                result[monday] = (total / counted if counted else None, counted)
            elif self.aggregator == "ratio":
                result[monday] = (
                    total * 100.0 / whole if whole else None,
                    count if whole else 0,
                )
            else:
                result[monday] = (total, count)
        return result

    @api.model
    def _journey_board_choices(self, filters):
        """Companies, teams and people the user may filter on."""
        companies = self.env.user.company_ids
        teams = self.env["crm.team"].search(
            [("company_id", "in", [*filters["company_ids"], False])]
        )
        people = self.env["res.users"].search(
            [
                ("share", "=", False),
                ("company_ids", "in", filters["company_ids"]),
                (
                    "groups_id",
                    "in",
                    [
                        self.env.ref("journey_crm.group_sales_consultant").id,
                        self.env.ref("journey_crm.group_delivery_specialist").id,
                        self.env.ref("journey_crm.group_service_advisor").id,
                    ],
                ),
            ]
        )
        return {
            "companies": [{"id": c.id, "name": c.name} for c in companies],
            "teams": [{"id": t.id, "name": t.name} for t in teams],
            "users": [{"id": u.id, "name": u.name} for u in people],
            "periods": [
                {"id": key, "name": label}
                for key, label in self._journey_period_labels()
            ],
        }

    @api.model
    def _journey_period_labels(self):
        wizard = self.env["journey.kpi.pack.wizard"]
        return wizard._fields["period"]._description_selection(self.env)

    @api.model
    def _journey_board_scorecards(self, filters):
        cards = self.env["journey.kpi.scorecard"].search(
            [("company_id", "in", filters["company_ids"])]
        )
        return [
            {
                "id": card.id,
                "name": card.name,
                "company": card.company_id.name,
                "people": [
                    {
                        "user_id": row["user"].id,
                        "name": row["user"].name,
                        "score": row["score"],
                    }
                    for row in card._journey_compute(filters)
                ],
            }
            for card in cards
        ]
