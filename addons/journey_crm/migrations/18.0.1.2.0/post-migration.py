"""Journey CRM 18.0.1.2.0: what databases of 18.0.1.1 need.

The shipped repair and parts promises (noupdate data) were "once within 36
months", which the customer read as a single use: they hold throughout the
period. Types an administrator already changed are left as they are; the
commitments already made keep what the customer read (and signed).
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in (
        "journey_crm.commitment_type_repair_turnaround",
        "journey_crm.commitment_type_parts_availability",
    ):
        commitment_type = env.ref(xmlid, raise_if_not_found=False)
        if (
            commitment_type
            and commitment_type.due_rule == "over_period"
            and commitment_type.uses_total == 1
        ):
            commitment_type.write({"due_rule": "during_period", "uses_total": 0})
