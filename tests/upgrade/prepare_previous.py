"""Run by scripts/test.sh in an Odoo shell on the database of the previous
release, before the upgrade: it records what that release's demo data does not
hold but existing databases do, for the checks of this directory.

- A delivery whose checklist the customer signed: 18.0.1.0.0 attached the signed
  PDF at once; 18.0.2.0.0's job must not attach a second one.

``env`` is the shell's environment (superuser); the script commits and prints
``prepare_previous: done``.
"""

import base64

# ruff: noqa: F821 - ``env`` is given by ``odoo shell``
PNG = base64.b64encode(
    base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6"
        "kgAAAABJRU5ErkJggg=="
    )
)
task = env["project.task"].search(
    [
        ("journey_work_type", "=", "delivery"),
        ("journey_checklist_signature_id", "=", False),
    ],
    order="id",
    limit=1,
)
assert task, "the previous release's demo data has no delivery"
signing = env["journey.commitment.signature"].create(
    {
        "name": "Upgrade Check",
        "signature": PNG,
        "partner_id": task.partner_id.id,
        "order_id": task.journey_order_id.id,
        "task_id": task.id,
        "method": "in_store",
        "commitment_ids": [(6, 0, task.journey_checklist_ids.ids)],
        "company_id": task.company_id.id,
    }
)
task.journey_checklist_signature_id = signing
# What 18.0.1.0.0 posted when the customer signed: the signed checklist as PDF.
task.message_post(
    body="Delivery checklist signed by Upgrade Check.",
    attachments=[(f"Delivery checklist {task.name}.pdf", b"%PDF-1.4 previous release")],
)
env["ir.config_parameter"].set_param("journey.upgrade_check_task_id", str(task.id))
env.cr.commit()
print("prepare_previous: done")
