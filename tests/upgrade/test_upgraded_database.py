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
