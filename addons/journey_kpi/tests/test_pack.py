import io
import re
import zipfile
from datetime import datetime, time, timedelta

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMeetingPack(HttpCase):
    """The monthly joint meeting pack of a dealership whose last month is known
    by hand: Ann has two overdue promises, Bo one kept on time and one overdue,
    and each has a customer whose complaint got no joint solution in time."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A dealership of its own: the demo data's figures do not count in it.
        cls.company = cls.env["res.company"].create(
            {"name": "Pack Motors", "journey_kpi_tz": "Asia/Shanghai"}
        )
        cls.elsewhere = cls.env["res.company"].create({"name": "Elsewhere Motors"})

        def user(login, group, name):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,{group}",
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
                name=name,
            )

        cls.ann = user("pack_ann", "journey_crm.group_sales_consultant", "Pack Ann")
        cls.bo = user("pack_bo", "journey_crm.group_sales_consultant", "Pack Bo")
        cls.manager = user(
            "pack_manager", "journey_crm.group_aftersales_manager", "Pack Manager"
        )
        cls.advisor = user(
            "pack_advisor", "journey_crm.group_service_advisor", "Pack Advisor"
        )
        Measure = cls.env["journey.kpi.measure"]
        cls.kept = Measure.search([("code", "=", "commitment_kept")])
        cls.overdue = Measure.search([("code", "=", "commitment_overdue")])
        cls.env["journey.kpi.target"].create(
            {
                "measure_id": cls.kept.id,
                "company_id": cls.company.id,
                "scope": "company",
                "target": 90.0,
                "min_sample": 1,
            }
        )
        cls.env["journey.kpi.scorecard"].create(
            {
                "name": "Pack Sales Scorecard",
                "department": "sales",
                "company_id": cls.company.id,
                "line_ids": [
                    Command.create({"measure_id": cls.kept.id, "weight": 100})
                ],
            }
        )
        # The 10th of last month, in the company's timezone.
        today = cls.company._journey_kpi_today()
        cls.month_start = today.replace(day=1) - relativedelta(months=1)
        cls.due = cls.month_start + timedelta(days=9)

        mats = cls.env.ref("journey_crm.commitment_type_floor_mats")
        cls.customers = {}
        cls.promises = {}
        for person, names in (
            (cls.ann, ("Ann Mats Promise", "Ann Cam Promise")),
            (cls.bo, ("Bo Mats Promise", "Bo Cam Promise")),
        ):
            customer = cls.env["res.partner"].create(
                {
                    "name": f"Customer of {person.name}",
                    "user_id": person.id,
                    "company_id": cls.company.id,
                }
            )
            lead = cls.env["crm.lead"].create(
                {
                    "name": f"EV for {customer.name}",
                    "partner_id": customer.id,
                    "user_id": person.id,
                    "team_id": False,
                    "company_id": cls.company.id,
                    "type": "opportunity",
                }
            )
            cls.customers[person] = customer
            for name in names:
                cls.promises[name] = cls.env["journey.commitment"].create(
                    {"lead_id": lead.id, "type_id": mats.id, "name": name}
                )
        # Due last month: three still open (overdue), Bo's mats kept the day before.
        cr = cls.env.cr
        cr.execute(
            "UPDATE journey_commitment SET date_deadline = %s, fulfillment_state = "
            "'open' WHERE id IN %s",
            [cls.due, tuple(c.id for c in cls.promises.values())],
        )
        cr.execute(
            "UPDATE journey_commitment SET fulfillment_state = 'fulfilled', "
            "fulfilled_on = %s WHERE id = %s",
            [
                datetime.combine(cls.due - timedelta(days=1), time(4, 0)),
                cls.promises["Bo Mats Promise"].id,
            ],
        )
        # One complaint per consultant's customer, received on the 10th at noon
        # (UTC), its joint solution due 24 h later and never given.
        cls.complaints = cls.env["journey.complaint"]
        for person in (cls.ann, cls.bo):
            cls.complaints |= (
                cls.env["journey.complaint"]
                .with_company(cls.company)
                .create(
                    {
                        "partner_id": cls.customers[person].id,
                        "company_id": cls.company.id,
                        "channel": "phone",
                        "description": f"Nobody called {person.name}'s customer back.",
                        "aftersales_user_id": cls.advisor.id,
                    }
                )
            )
        received = datetime.combine(cls.due, time(4, 0))
        cr.execute(
            "UPDATE journey_complaint SET date_received = %s, "
            "date_solution_deadline = %s WHERE id IN %s",
            [received, received + timedelta(hours=24), tuple(cls.complaints.ids)],
        )
        cls.env.invalidate_all()

    # ------------------------------------------------------------------

    def _wizard(self, user, **values):
        return (
            self.env["journey.kpi.pack.wizard"]
            .with_user(user)
            .create({"period": "last_month", "company_id": self.company.id, **values})
        )

    def _download(self, user, wizard=None):
        wizard = wizard or self._wizard(user)
        self.authenticate(user.login, user.login)
        return self.url_open(f"/journey_kpi/pack/{wizard.id}")

    def _pack(self, user):
        response = self._download(user)
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.content, openpyxl.load_workbook(io.BytesIO(response.content))

    @staticmethod
    def _rows(sheet, first=5):
        """The data rows under the header (row 4), as tuples of values."""
        return [
            row for row in sheet.iter_rows(min_row=first, values_only=True) if any(row)
        ]

    @staticmethod
    def _find(sheet, column, value):
        for row in sheet.iter_rows(min_row=5):
            if row[column].value == value:
                return row
        raise AssertionError(f"{value!r} not in {sheet.title}")

    @staticmethod
    def _cells_of(sheet):
        return {
            str(value)
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        }

    @staticmethod
    def _cells(workbook):
        return {
            str(value)
            for sheet in workbook
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        }

    # ------------------------------------------------------------------

    def test_manager_pack_figures_charts_and_red_records(self):
        content, book = self._pack(self.manager)
        self.assertEqual(
            book.sheetnames,
            [
                "Summary",
                "Sales",
                "Delivery",
                "After-Sales",
                "Joint",
                "Scorecards",
                "Overdue Promises",
                "Breached Handovers",
                "Late Complaints",
            ],
        )
        # Summary: 1 of the 4 promises due last month was kept on time (25%,
        # target 90%: red); three are overdue.
        summary = book["Summary"]
        self.assertIn("Pack Motors", summary["A2"].value)
        self.assertIn(self.month_start.isoformat(), summary["A2"].value)
        self.assertEqual(summary.freeze_panes, "C5")
        row = self._find(summary, 1, self.kept.name)
        self.assertEqual(row[0].value, "Joint")
        self.assertAlmostEqual(row[2].value, 0.25)
        self.assertEqual(row[2].number_format, "0.0%")
        self.assertAlmostEqual(row[3].value, 0.9)
        self.assertEqual(row[5].value, "Below Target")
        self.assertEqual(row[5].fill.fgColor.rgb, "FFFFC7CE")
        self.assertEqual(row[6].value, 4)
        row = self._find(summary, 1, self.overdue.name)
        self.assertEqual((row[2].value, row[5].value), (3, "No Target"))

        # Joint: the figures per salesperson, and a column chart of the first.
        joint = book["Joint"]
        header = [cell.value for cell in joint[4]]
        kept_col = header.index(self.kept.name)
        overdue_col = header.index(self.overdue.name)
        ann = self._find(joint, 1, "Pack Ann")
        bo = self._find(joint, 1, "Pack Bo")
        self.assertEqual(ann[0].value, "Salesperson")
        self.assertEqual((ann[kept_col].value, ann[overdue_col].value), (0, 2))
        self.assertEqual((bo[kept_col].value, bo[overdue_col].value), (0.5, 1))
        self.assertEqual(joint.freeze_panes, "C5")

        # Scorecards: Bo reaches 50/90 of the target, Ann nothing.
        cards = book["Scorecards"]
        self.assertEqual(cards["A4"].value, "Pack Sales Scorecard")
        self.assertEqual(cards["C5"].value, f"{self.kept.name} (100%)")
        self.assertEqual(cards["A6"].value, "Pack Bo")
        self.assertAlmostEqual(cards["B6"].value, 100 * 50 / 90, places=4)
        self.assertAlmostEqual(cards["C6"].value, 0.5)
        self.assertEqual((cards["A7"].value, cards["B7"].value), ("Pack Ann", 0))

        # The records behind the red figures.
        promises = self._rows(book["Overdue Promises"])
        self.assertEqual(
            sorted(row[0] for row in promises),
            ["Ann Cam Promise", "Ann Mats Promise", "Bo Cam Promise"],
        )
        self.assertEqual(promises[0][5].date(), self.due)
        complaints = self._rows(book["Late Complaints"])
        self.assertEqual(
            sorted(row[0] for row in complaints), sorted(self.complaints.mapped("name"))
        )

        # Native charts, their series on the sheets' ranges.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            charts = [
                archive.read(name).decode()
                for name in archive.namelist()
                if re.fullmatch(r"xl/charts/chart\d+\.xml", name)
            ]
        self.assertIn("xl/charts/chart1.xml", archive.namelist())
        formulas = {
            f for chart in charts for f in re.findall(r"<c:f>(.*?)</c:f>", chart)
        }
        last = joint.max_row
        letter = openpyxl.utils.get_column_letter(kept_col + 1)
        self.assertIn(f"Joint!$B$5:$B${last}", formulas)
        self.assertIn(f"Joint!${letter}$5:${letter}${last}", formulas)
        self.assertIn("Scorecards!$A$6:$A$7", formulas)
        self.assertIn("Scorecards!$B$6:$B$7", formulas)
        bar = next(chart for chart in charts if "Scorecards!$B$6:$B$7" in chart)
        self.assertIn('<c:barDir val="bar"/>', bar)

    def test_row_limit_leaves_a_line_of_what_was_left_out(self):
        self.company.journey_kpi_pack_row_limit = 1
        _content, book = self._pack(self.manager)
        promises = self._rows(book["Overdue Promises"])
        self.assertEqual(len(promises), 2)
        self.assertIn(promises[0][0], self.promises)
        self.assertTrue(promises[1][0].startswith("2 more records were left out"))
        complaints = self._rows(book["Late Complaints"])
        self.assertEqual(len(complaints), 2)
        self.assertTrue(complaints[1][0].startswith("1 more records were left out"))

    def test_consultant_pack_holds_only_their_own_figures(self):
        response = self._download(self.ann)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.headers["Content-Type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        self.assertIn(
            f"Joint%20Meeting%20Pack%20{self.month_start:%Y-%m}.xlsx",
            response.headers["Content-Disposition"],
        )
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        row = self._find(book["Summary"], 1, self.kept.name)
        self.assertEqual((row[2].value, row[6].value), (0, 2))
        cells = self._cells(book)
        self.assertIn("Pack Ann", cells)
        self.assertIn("Ann Mats Promise", cells)
        for secret in ("Pack Bo", "Bo Cam Promise", "Customer of Pack Bo"):
            self.assertNotIn(secret, cells)
        # Her complaint names its after-sales owner, but the figures per person
        # have no line of his made of her complaint alone (the manager's have).
        self.assertNotIn("Pack Advisor", self._cells_of(book["Joint"]))
        manager_book = self._pack(self.manager)[1]
        self.assertIn("Pack Advisor", self._cells_of(manager_book["Joint"]))
        self.assertNotIn(self.complaints[1].name, cells)

    def test_another_users_wizard_is_not_found(self):
        wizard = self._wizard(self.bo)
        response = self._download(self.ann, wizard)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"Bo Cam Promise", response.content)

    def test_a_company_of_someone_else_is_refused(self):
        wizard = self._wizard(self.manager)
        wizard.company_id = self.elsewhere
        with self.assertRaises(UserError):
            wizard.action_download()
        response = self._download(self.manager, wizard)
        self.assertEqual(response.status_code, 403)

    def test_download_button_opens_the_client_action(self):
        action = self._wizard(self.manager).action_download()
        self.assertEqual(action["tag"], "journey_kpi.pack_download")
        self.assertRegex(action["params"]["url"], r"^/journey_kpi/pack/\d+$")

    def test_months_are_cut_in_the_company_timezone(self):
        """Shanghai is UTC+8: a complaint received at 18:00 UTC on the eve of last
        month is of last month's first day there; one received at 17:00 UTC on
        last month's last day is of this month."""
        first = self.month_start
        this_month = first + relativedelta(months=1)
        early, late = (
            self.env["journey.complaint"]
            .with_company(self.company)
            .create(
                [
                    {
                        "partner_id": self.customers[self.ann].id,
                        "company_id": self.company.id,
                        "description": description,
                    }
                    for description in ("Early bird", "Night owl")
                ]
            )
        )
        for complaint, received in (
            (early, datetime.combine(first - timedelta(days=1), time(18, 0))),
            (late, datetime.combine(this_month - timedelta(days=1), time(17, 0))),
        ):
            self.env.cr.execute(
                "UPDATE journey_complaint SET date_received = %s, "
                "date_solution_deadline = %s WHERE id = %s",
                [received, received + timedelta(hours=24), complaint.id],
            )
        self.env.invalidate_all()
        _content, book = self._pack(self.manager)
        self.assertIn("(Asia/Shanghai)", book["Summary"]["A2"].value)
        sheet = book["Late Complaints"]
        self.assertEqual(sheet["G4"].value, "Received On")
        dates = {row[0]: row[6].date() for row in self._rows(sheet)}
        self.assertEqual(dates[early.name], first)
        self.assertNotIn(late.name, dates)
        self.assertEqual(len(dates), 3)

    def test_labels_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.kept.with_context(lang="zh_CN").name = "承诺按时兑现率"
        self.manager.lang = "zh_CN"
        _content, book = self._pack(self.manager)
        self.assertNotIn("Summary", book.sheetnames, "sheet names are translated")
        summary, joint = book.worksheets[0], book.worksheets[4]
        row = self._find(summary, 1, "承诺按时兑现率")
        self.assertAlmostEqual(row[2].value, 0.25)
        self.assertIn("承诺按时兑现率", [cell.value for cell in joint[4]])

    def test_download_button_in_the_browser(self):
        """The wizard's button downloads the file behind the loading indicator
        and closes the dialog; a failed download would leave an error dialog."""
        action = self.env.ref("journey_kpi.journey_kpi_pack_wizard_action")
        self.start_tour(
            f"/odoo/action-{action.id}",
            "journey_kpi_pack_download",
            login=self.manager.login,
            timeout=300,
        )
        self.assertTrue(
            self.env["journey.kpi.pack.wizard"].search(
                [("create_uid", "=", self.manager.id)]
            )
        )
