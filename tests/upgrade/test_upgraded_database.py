"""What an upgrade from the previous release must leave in the database.

scripts/test.sh installs the addons of the commit in ``previous_version`` with
demo data, upgrades that database to this checkout's addons (``-u``) and runs
this directory with pytest-odoo against it; the main pytest run leaves this
directory out (pytest.ini). A fresh install proves nothing here: each check
states what a migration (``migrations/<version>/*.py``, ``noupdate`` data
updates, ``<delete>`` records) must have done to an existing database.

Adding a check: write a ``test_*`` method in ``TestUpgradedDatabase`` (or a
new ``test_*.py`` file in this directory), named after the change, with the
release that introduced it in its docstring. When ``previous_version`` moves
past that release, the check may go.
"""

import ast
import os

from odoo.modules.module import adapt_version
from odoo.tests import TransactionCase, tagged

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADDONS_DIR = os.path.join(REPO, "addons")


def journey_manifests():
    """{addon: manifest} for every addon of this checkout."""
    manifests = {}
    for name in sorted(os.listdir(ADDONS_DIR)):
        path = os.path.join(ADDONS_DIR, name, "__manifest__.py")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                manifests[name] = ast.literal_eval(fh.read())
    return manifests


@tagged("post_install", "-at_install", "journey_upgrade")
class TestUpgradedDatabase(TransactionCase):
    def test_every_addon_at_its_manifest_version(self):
        """Every addon is installed and recorded at its manifest's version."""
        manifests = journey_manifests()
        self.assertTrue(manifests, f"no addon found under {ADDONS_DIR}")
        modules = self.env["ir.module.module"].search([("name", "in", list(manifests))])
        found = {module.name: module for module in modules}
        problems = []
        for name, manifest in manifests.items():
            module = found.get(name)
            expected = adapt_version(manifest["version"])
            if not module:
                problems.append(f"{name}: unknown to the database")
            elif module.state != "installed":
                problems.append(f"{name}: state {module.state}, not installed")
            elif module.latest_version != expected:
                problems.append(
                    f"{name}: database at {module.latest_version}, manifest {expected}"
                )
        self.assertFalse(problems, "\n".join(problems))

    def test_lead_read_all_rule_removed(self):
        """journey_service removes the rule that let delivery specialists and
        service advisors read every lead (they read the leads they raised)."""
        rules = (
            self.env["ir.rule"]
            .with_context(active_test=False)
            .search(
                [
                    ("name", "=", "Leads: delivery and service read all"),
                    ("model_id.model", "=", "crm.lead"),
                ]
            )
        )
        self.assertFalse(
            rules,
            "the record rule 'Leads: delivery and service read all' on crm.lead "
            "survived the upgrade",
        )

    def test_signed_checklists_keep_their_one_pdf(self):
        """18.0.2.0.0 attaches the signed checklist's PDF by a scheduled job: the
        checklists signed before (PDF attached at once) are marked as posted, and
        the job attaches no second PDF (prepare_previous.py signed one)."""
        task_id = self.env["ir.config_parameter"].get_param(
            "journey.upgrade_check_task_id"
        )
        self.assertTrue(task_id, "prepare_previous.py did not run on this database")
        task = self.env["project.task"].browse(int(task_id))
        self.assertTrue(task.journey_checklist_signature_id)
        self.assertTrue(task.journey_checklist_pdf_posted)
        self.env["project.task"]._cron_journey_post_signed_checklists()
        pdfs = task.message_ids.attachment_ids.filtered(
            lambda a: a.name.endswith(".pdf")
        )
        self.assertEqual(len(pdfs), 1)

    def test_company_settings_have_todays_delays(self):
        """18.0.2.0.0 makes the delays company settings: existing companies get the
        values that were hard-coded before."""
        company = self.env.ref("base.main_company")
        self.assertEqual(
            (
                company.journey_brief_hours,
                company.journey_call_days,
                company.journey_reminder_days,
                company.journey_first_service_min_months,
                company.journey_first_service_max_months,
            ),
            (24, 3, 7, 3, 6),
        )

    def test_odoo_task_form_no_longer_inherited(self):
        """18.0.2.0.0 gives deliveries and visits their own views: the views that
        inherited Odoo's task form are gone from existing databases."""
        views = self.env["ir.ui.view"].search(
            [
                ("model", "=", "project.task"),
                ("inherit_id", "=", self.env.ref("project.view_task_form2").id),
            ]
        )
        self.assertFalse(
            views.filtered(lambda v: "journey" in (v.key or "") + (v.name or ""))
        )
        self.assertTrue(
            self.env.ref(
                "journey_service.project_task_delivery_view_form",
                raise_if_not_found=False,
            )
        )
