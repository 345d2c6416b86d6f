"""Journey Service 18.0.2.0.0: what databases of 18.0.1.x need.

- journey_crm's old rule opening every lead to delivery and service staff was
  kept by databases installed before it was dropped (noupdate data): remove it.
- Checklists signed before 18.0.2 had their PDF attached at once; the job that
  now attaches it must not attach a second one.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["ir.rule"].search(
        [
            ("name", "=", "Leads: delivery and service read all"),
            ("model_id.model", "=", "crm.lead"),
        ]
    ).unlink()
    cr.execute(
        """
        UPDATE project_task
           SET journey_checklist_pdf_posted = TRUE
         WHERE journey_checklist_signature_id IS NOT NULL
           AND journey_checklist_pdf_posted IS NOT TRUE
        """
    )
