from odoo import Command, api, fields, models

WORK_TYPE_SELECTION = [
    ("delivery", "Vehicle Delivery"),
    ("service", "After-Sales Service"),
]


class ProjectProject(models.Model):
    _inherit = "project.project"

    journey_work_type = fields.Selection(
        WORK_TYPE_SELECTION,
        string="Dealership Work",
        index=True,
        help="Delivery projects receive a task per vehicle sold; service projects hold "
        "workshop visits. Their tasks follow the journey steps of their stages.",
    )

    @api.model
    def _journey_get_project(self, work_type, company):
        """The project that receives ``work_type`` tasks for ``company``.

        Tasks take their company from their project: each company gets its own
        project, made on first use with the stages of the shipped one.
        """
        # sudo: confirming a sale or booking a first service finds (or makes) the
        # private project of its company, whoever does it.
        projects = self.sudo().with_context(active_test=False)
        project = projects.search(
            [
                ("journey_work_type", "=", work_type),
                ("company_id", "=", company.id),
                ("active", "=", True),
            ],
            order="sequence, id",
            limit=1,
        )
        if project:
            return project
        template = projects.search(
            [("journey_work_type", "=", work_type)], order="sequence, id", limit=1
        )
        if not template:
            return project
        return projects.create(
            {
                "name": template.name,
                "journey_work_type": work_type,
                "privacy_visibility": template.privacy_visibility,
                "company_id": company.id,
                "type_ids": [Command.set(template.type_ids.ids)],
                "description": template.description,
            }
        )
