import io
from collections import defaultdict

from odoo import fields, models
from odoo.osv import expression
from odoo.tools.misc import xlsxwriter

from ..models.journey_kpi_measure import AREA_SELECTION, PERIOD_SELECTION, PERSON_FIELDS

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Whose figures an area's sheet shows first; the other people of its measures
# (a handover names a salesperson, a specialist and an advisor) follow.
AREA_PERSON_FIELD = {
    "sales": "salesperson_id",
    "delivery": "specialist_id",
    "aftersales": "advisor_id",
    "joint": "salesperson_id",
}
# The records behind the red figures: the measures whose missed rows a sheet
# lists, and the reporting fields it shows of them.
RED_SHEETS = (
    (
        "promises",
        ("commitment_overdue",),
        (
            "commitment_id",
            "partner_id",
            "salesperson_id",
            "department",
            "fulfillment_state",
            "date",
        ),
    ),
    (
        "handovers",
        ("brief_on_time", "call_on_time"),
        (
            "handover_id",
            "kind",
            "partner_id",
            "salesperson_id",
            "sender_id",
            "receiver_id",
            "state",
            "date",
            "date_call_deadline",
        ),
    ),
    (
        "complaints",
        ("complaint_in_time",),
        (
            "complaint_id",
            "partner_id",
            "salesperson_id",
            "advisor_id",
            "state",
            "root_cause",
            "date",
        ),
    ),
)
STATUS_COLOURS = {
    "green": ("#C6EFCE", "#006100"),
    "red": ("#FFC7CE", "#9C0006"),
    "low": ("#FFEB9C", "#9C5700"),
    "nodata": ("#EDEDED", "#595959"),
    "none": ("#EDEDED", "#595959"),
}
HEADER_ROW = 3  # title, subtitle, a blank line, then the header


class JourneyKpiPackWizard(models.TransientModel):
    """The monthly joint meeting pack: one XLSX file built with the requesting
    user's rights."""

    _name = "journey.kpi.pack.wizard"
    _description = "Monthly Joint Meeting Pack"

    period = fields.Selection(PERIOD_SELECTION, required=True, default="last_month")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    team_ids = fields.Many2many(
        "crm.team",
        string="Sales Teams",
        domain="[('company_id', 'in', [company_id, False])]",
        help="Only the figures of these sales teams; empty: the whole company.",
    )

    def _journey_filters(self):
        """The measures' filters of this pack; refuses a company that is not the
        user's."""
        self.ensure_one()
        return self.env["journey.kpi.measure"]._journey_clean_filters(
            {
                "company_ids": self.company_id.ids,
                "team_ids": self.team_ids.ids,
                "period": self.period,
            }
        )

    def action_download(self):
        """Build and download the pack, behind Odoo's loading indicator."""
        self.ensure_one()
        self._journey_filters()
        return {
            "type": "ir.actions.client",
            "tag": "journey_kpi.pack_download",
            "params": {"url": f"/journey_kpi/pack/{self.id}"},
        }

    # ------------------------------------------------------------------
    # The file
    # ------------------------------------------------------------------

    def _journey_file_name(self, filters):
        self.ensure_one()
        date_from, date_to = filters["date_from"], filters["date_to"]
        period = date_from.strftime("%Y-%m")
        if date_to.strftime("%Y-%m") != period:
            period = f"{period} – {date_to.strftime('%Y-%m')}"
        return self.env._("Joint Meeting Pack %s", period) + ".xlsx"

    def _journey_build_xlsx(self):
        """The pack as XLSX bytes, counted with the user's rights: the reporting
        views' record rules decide which rows each figure counts.

        :return: the file's content (bytes)
        """
        self.ensure_one()
        wizard = self.with_company(self.company_id)
        filters = wizard._journey_filters()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True})
        workbook.set_properties(
            {
                "title": wizard.env._("Monthly Joint Meeting Pack"),
                "company": wizard.company_id.name,
            }
        )
        pack = _PackWriter(wizard, workbook, filters)
        pack.write_summary()
        pack.write_areas()
        pack.write_scorecards()
        pack.write_red_records()
        workbook.close()
        return output.getvalue()


class _PackWriter:
    """Writes the sheets of one pack; every figure comes from the measures'
    API, read in the wizard's environment (the requesting user)."""

    def __init__(self, wizard, workbook, filters):
        self.wizard = wizard
        self.env = wizard.env
        self.workbook = workbook
        self.filters = filters
        self.company = wizard.company_id
        self.Measure = self.env["journey.kpi.measure"]
        self.measures = self.Measure.search([("active", "=", True)])
        self.sheet_names = set()
        self._formats()
        self.title = self._title()

    # -- formats --------------------------------------------------------

    def _formats(self):
        add = self.workbook.add_format
        currency = self.company.currency_id
        symbol = (currency.symbol or currency.name or "").replace('"', "")
        amount = (
            f'"{symbol}" #,##0.00'
            if currency.position == "before"
            else f'#,##0.00 "{symbol}"'
        )
        self.number_formats = {
            "percent": "0.0%",
            "score": "0.0",
            "minutes": '0.0 "{}"'.format(self.env._("min").replace('"', "")),
            "hours": '0.0 "{}"'.format(self.env._("h").replace('"', "")),
            "count": "#,##0",
            "amount": amount,
        }
        self.fmt = {
            "title": add({"bold": True, "font_size": 14}),
            "subtitle": add({"italic": True, "font_color": "#595959"}),
            "header": add(
                {
                    "bold": True,
                    "bg_color": "#1F4E78",
                    "font_color": "#FFFFFF",
                    "border": 1,
                    "text_wrap": True,
                    "valign": "top",
                }
            ),
            "section": add({"bold": True, "font_size": 12}),
            "text": add({"valign": "top"}),
            "wrap": add({"text_wrap": True, "valign": "top"}),
            "date": add({"num_format": "yyyy-mm-dd", "align": "left"}),
            "more": add({"italic": True, "font_color": "#9C0006"}),
            "integer": add({"num_format": "#,##0"}),
            "score": add({"num_format": "0.0"}),
        }
        self.unit_fmt = {
            unit: add({"num_format": num}) for unit, num in self.number_formats.items()
        }
        self.status_fmt = {
            status: add({"bg_color": bg, "font_color": fg, "bold": True, "border": 1})
            for status, (bg, fg) in STATUS_COLOURS.items()
        }

    def _title(self):
        tz = self.company._journey_kpi_tz()
        now = fields.Datetime.context_timestamp(
            self.wizard.with_context(tz=tz), fields.Datetime.now()
        )
        periods = dict(self.wizard._fields["period"]._description_selection(self.env))
        return self.env._(
            "%(company)s · %(period)s: %(date_from)s to %(date_to)s · "
            "generated on %(now)s (%(tz)s)",
            company=self.company.name,
            period=periods.get(self.wizard.period, ""),
            date_from=fields.Date.to_string(self.filters["date_from"]),
            date_to=fields.Date.to_string(self.filters["date_to"]),
            now=now.strftime("%Y-%m-%d %H:%M"),
            tz=tz,
        )

    # -- helpers --------------------------------------------------------

    def _sheet(self, name, heading):
        """A new sheet (unique, valid name) with the pack's title rows."""
        name = name[:28]
        unique, index = name, 2
        while unique.lower() in self.sheet_names:
            unique = f"{name} {index}"
            index += 1
        self.sheet_names.add(unique.lower())
        sheet = self.workbook.add_worksheet(unique)
        sheet.write(0, 0, heading, self.fmt["title"])
        sheet.write(1, 0, self.title, self.fmt["subtitle"])
        sheet.set_row(0, 22)
        return sheet

    def _header(self, sheet, row, labels, widths):
        for col, (label, width) in enumerate(zip(labels, widths, strict=True)):
            sheet.write(row, col, label, self.fmt["header"])
            sheet.set_column(col, col, width)

    def _unit_value(self, unit, value):
        """The cell value of a figure: Excel percentages are fractions."""
        if value is None:
            return None
        return value / 100.0 if unit == "percent" else value

    def _write_figure(self, sheet, row, col, unit, value):
        cell = self._unit_value(unit, value)
        if cell is None:
            sheet.write_blank(row, col, None, self.unit_fmt[unit])
        else:
            sheet.write_number(row, col, cell, self.unit_fmt[unit])

    def _people_names(self, ids):
        # sudo: only the names of the people the user's own rows name, as Odoo
        # shows a many2one's name on a record the user may read.
        users = self.env["res.users"].browse(ids).sudo()
        return {user.id: user.name for user in users}

    def _status_labels(self):
        return {
            "green": self.env._("On Target"),
            "red": self.env._("Below Target"),
            "low": self.env._("Sample Too Small"),
            "nodata": self.env._("No Data"),
            "none": self.env._("No Target"),
        }

    def _role_labels(self):
        return {
            "salesperson_id": self.env._("Salesperson"),
            "specialist_id": self.env._("Delivery Specialist"),
            "advisor_id": self.env._("Service Advisor"),
        }

    # -- Summary ----------------------------------------------------------

    def write_summary(self):
        sheet = self._sheet(
            self.env._("Summary"), self.env._("Monthly Joint Meeting Pack")
        )
        filters = self.filters
        targets = self.env["journey.kpi.target"]._journey_find(
            self.measures, filters["company_ids"], filters["team_ids"], False
        )
        values = self.measures._journey_compute(filters)
        areas = dict(self.Measure._fields["area"]._description_selection(self.env))
        directions = dict(
            self.Measure._fields["direction"]._description_selection(self.env)
        )
        labels = self._status_labels()
        self._header(
            sheet,
            HEADER_ROW,
            [
                self.env._("Area"),
                self.env._("Measure"),
                self.env._("Value"),
                self.env._("Target"),
                self.env._("Direction"),
                self.env._("Status"),
                self.env._("Sample"),
                self.env._("Definition"),
            ],
            [14, 40, 12, 12, 18, 18, 10, 80],
        )
        row = HEADER_ROW
        for measure in self.measures.sorted(
            lambda m: ([a for a, _label in AREA_SELECTION].index(m.area), m.sequence)
        ):
            row += 1
            value, sample = values[measure].get(None, (None, 0))
            target = targets[measure]
            status = self.Measure._journey_status(value, sample, target)
            sheet.write(row, 0, areas[measure.area], self.fmt["text"])
            sheet.write(row, 1, measure.name, self.fmt["text"])
            self._write_figure(sheet, row, 2, measure.unit, value)
            self._write_figure(
                sheet, row, 3, measure.unit, target.target if target else None
            )
            sheet.write(
                row,
                4,
                directions[target.direction or measure.direction],
                self.fmt["text"],
            )
            sheet.write(row, 5, labels[status], self.status_fmt[status])
            sheet.write_number(row, 6, sample or 0, self.fmt["integer"])
            sheet.write(row, 7, measure.description or "", self.fmt["text"])
        sheet.freeze_panes(HEADER_ROW + 1, 2)
        sheet.autofilter(HEADER_ROW, 0, max(row, HEADER_ROW + 1), 7)

    # -- One sheet per area ---------------------------------------------

    def write_areas(self):
        for area, label in self.Measure._fields["area"]._description_selection(
            self.env
        ):
            measures = self.measures.filtered(
                lambda m, a=area: m.area == a and m._journey_person_fields()
            )
            self._write_area(area, label, measures)

    def _area_people(self, area, measures):
        """Rows (role field, user id) and their figures of the area's measures."""
        used = {name for m in measures for name in m._journey_person_fields()}
        first = AREA_PERSON_FIELD[area]
        order = [first] + [name for name in PERSON_FIELDS if name != first]
        rows, figures = [], defaultdict(dict)
        names = {}
        # A consultant or an advisor reads their own line, not a colleague's made
        # of the rows they may read (as on the board's scorecards).
        everyone = self.env["journey.kpi.scorecard"]._journey_sees_everyone()
        for field in [name for name in order if name in used]:
            mine = measures.filtered(lambda m, f=field: f in m._journey_person_fields())
            values = mine._journey_compute(self.filters, groupby=field)
            user_ids = {
                key
                for groups in values.values()
                for key in groups
                if key and (everyone or key == self.env.uid)
            }
            names.update(self._people_names(list(user_ids)))
            for measure, groups in values.items():
                for user_id, figure in groups.items():
                    if user_id in user_ids:
                        figures[field, user_id][measure] = figure
            rows += sorted(
                ((field, user_id) for user_id in user_ids),
                key=lambda key: (names[key[1]] or "").lower(),
            )
        return rows, figures, names

    def _write_area(self, area, label, measures):
        sheet = self._sheet(label, self.env._("%s: Figures per Person", label))
        roles = self._role_labels()
        rows, figures, names = self._area_people(area, measures)
        self._header(
            sheet,
            HEADER_ROW,
            [self.env._("Role"), self.env._("Person"), *measures.mapped("name")],
            [20, 28, *([16] * len(measures))],
        )
        sheet.set_row(HEADER_ROW, 45)
        sheet.freeze_panes(HEADER_ROW + 1, 2)
        if not rows:
            sheet.write(
                HEADER_ROW + 1,
                0,
                self.env._("Nothing to show for this period."),
                self.fmt["more"],
            )
            return
        for index, (field, user_id) in enumerate(rows, start=HEADER_ROW + 1):
            sheet.write(index, 0, roles[field], self.fmt["text"])
            sheet.write(index, 1, names[user_id], self.fmt["text"])
            for col, measure in enumerate(measures, start=2):
                value, _sample = figures[field, user_id].get(measure, (None, 0))
                self._write_figure(sheet, index, col, measure.unit, value)
        first, last = HEADER_ROW + 1, HEADER_ROW + len(rows)
        # The chart shows the area's first measure that has figures per person.
        key = next(
            (
                (col, measure)
                for col, measure in enumerate(measures, start=2)
                if any(
                    figures[row].get(measure, (None, 0))[0] is not None for row in rows
                )
            ),
            None,
        )
        if not key:
            return
        col, measure = key
        chart = self.workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": [sheet.name, HEADER_ROW, col],
                "categories": [sheet.name, first, 1, last, 1],
                "values": [sheet.name, first, col, last, col],
                "fill": {"color": "#2E75B6"},
                "data_labels": {
                    "value": True,
                    "num_format": self.number_formats[measure.unit],
                },
            }
        )
        chart.set_title({"name": measure.name})
        chart.set_legend({"none": True})
        chart.set_y_axis({"num_format": self.number_formats[measure.unit]})
        sheet.insert_chart(HEADER_ROW, len(measures) + 3, chart, {"x_scale": 1.4})

    # -- Scorecards -------------------------------------------------------

    def _item_label(self, line):
        """A scorecard item's column header: the measure and its weight."""
        weight = f"{line.weight:g}"
        return self.env._(
            "%(measure)s (%(weight)s%%)", measure=line.measure_id.name, weight=weight
        )

    def write_scorecards(self):
        sheet = self._sheet(self.env._("Scorecards"), self.env._("Joint Scorecards"))
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 10)
        cards = self.env["journey.kpi.scorecard"].search(
            [("company_id", "=", self.company.id)]
        )
        row = HEADER_ROW
        if not cards:
            sheet.write(
                row, 0, self.env._("This company has no scorecard."), self.fmt["more"]
            )
            return
        for card in cards:
            lines = card.line_ids.filtered(
                lambda line: line.measure_id.active and line.weight
            )
            results = card._journey_compute(self.filters)
            sheet.write(row, 0, card.name, self.fmt["section"])
            row += 1
            header = row
            labels = [self.env._("Person"), self.env._("Score")] + [
                self._item_label(line) for line in lines
            ]
            self._header(sheet, header, labels, [28, 10, *([16] * len(lines))])
            sheet.set_row(header, 45)
            for result in results:
                row += 1
                sheet.write(row, 0, result["user"].name, self.fmt["text"])
                if result["score"] is None:
                    sheet.write_blank(row, 1, None, self.fmt["score"])
                else:
                    sheet.write_number(row, 1, result["score"], self.fmt["score"])
                for col, line in enumerate(lines, start=2):
                    item = result["items"].get(line)
                    self._write_figure(
                        sheet, row, col, line.measure_id.unit, item and item["value"]
                    )
            if results:
                chart = self.workbook.add_chart({"type": "bar"})
                chart.add_series(
                    {
                        "name": [sheet.name, header, 1],
                        "categories": [sheet.name, header + 1, 0, row, 0],
                        "values": [sheet.name, header + 1, 1, row, 1],
                        "fill": {"color": "#548235"},
                        "data_labels": {"value": True, "num_format": "0.0"},
                    }
                )
                chart.set_title({"name": card.name})
                chart.set_legend({"none": True})
                chart.set_x_axis({"min": 0, "max": 100})
                sheet.insert_chart(header, len(labels) + 1, chart)
                row = max(row, header + 16)
            else:
                row += 1
                sheet.write(
                    row,
                    0,
                    self.env._("Nothing to show for this period."),
                    self.fmt["more"],
                )
            row += 2
        sheet.freeze_panes(HEADER_ROW, 0)

    # -- The records behind the red figures -------------------------------

    def _red_titles(self):
        return {
            "promises": self.env._("Overdue Promises"),
            "handovers": self.env._("Breached Handovers"),
            "complaints": self.env._("Late Complaints"),
        }

    def _red_labels(self):
        """Column labels clearer than the reporting fields' own."""
        return {
            "promises": {"date": self.env._("Due")},
            "handovers": {"date": self.env._("Brief Due")},
            "complaints": {"date": self.env._("Received On")},
        }

    def write_red_records(self):
        titles = self._red_titles()
        labels = self._red_labels()
        for key, codes, field_names in RED_SHEETS:
            measures = self.measures.filtered(lambda m, c=codes: m.code in c)
            if measures:
                self._write_red_sheet(titles[key], measures, field_names, labels[key])

    def _write_red_sheet(self, title, measures, field_names, own_labels):
        """The missed rows of the measures, read with the user's rights, capped
        at the company's row limit."""
        sheet = self._sheet(title, title)
        report = self.env[measures[0].report_model]
        domains = {m: m._journey_domain(self.filters, missed=True) for m in measures}
        domain = expression.OR(list(domains.values()))
        limit = self.company.journey_kpi_pack_row_limit or 1
        rows = report.search(domain, order="date, id", limit=limit)
        total = report.search_count(domain) if len(rows) == limit else len(rows)
        several = len(measures) > 1
        labels = [
            own_labels.get(name) or report._fields[name]._description_string(self.env)
            for name in field_names
        ]
        widths = [
            14 if report._fields[name].type == "date" else 26 for name in field_names
        ]
        if several:
            labels.append(self.env._("Missed"))
            widths.append(30)
            missed = {
                m: set(report.search(expression.AND([d, [("id", "in", rows.ids)]])).ids)
                for m, d in domains.items()
            }
        self._header(sheet, HEADER_ROW, labels, widths)
        sheet.freeze_panes(HEADER_ROW + 1, 1)
        selections = {
            name: dict(report._fields[name]._description_selection(self.env))
            for name in field_names
            if report._fields[name].type == "selection"
        }
        row = HEADER_ROW
        for record in rows.read(list(field_names)):
            row += 1
            for col, name in enumerate(field_names):
                value = record[name]
                if name in selections:
                    sheet.write(
                        row, col, selections[name].get(value, ""), self.fmt["text"]
                    )
                elif isinstance(value, tuple):
                    sheet.write(row, col, value[1], self.fmt["text"])
                elif report._fields[name].type == "date" and value:
                    sheet.write_datetime(row, col, value, self.fmt["date"])
                elif value is False:
                    sheet.write_blank(row, col, None, self.fmt["text"])
                else:
                    sheet.write(row, col, value, self.fmt["text"])
            if several:
                sheet.write(
                    row,
                    len(field_names),
                    ", ".join(m.name for m in measures if record["id"] in missed[m]),
                    self.fmt["text"],
                )
        if not rows:
            sheet.write(
                row + 1,
                0,
                self.env._("No record behind a red figure."),
                self.fmt["text"],
            )
        elif total > len(rows):
            sheet.write(
                row + 1,
                0,
                self.env._(
                    "%(count)s more records were left out (the pack lists at most "
                    "%(limit)s per sheet).",
                    count=total - len(rows),
                    limit=limit,
                ),
                self.fmt["more"],
            )
        sheet.autofilter(HEADER_ROW, 0, max(row, HEADER_ROW + 1), len(labels) - 1)
