import ast

from odoo import Command, api, fields, models

# The task views of each kind of dealership work (the Project app opens them too).
TASK_ACTIONS = {
    "delivery": "journey_service.project_task_action_journey_delivery",
    "service": "journey_service.project_task_action_journey_service",
}
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

    def action_view_tasks(self):
        """A delivery or service project opens its tasks on their own views from
        the Project app too, never on Odoo's generic task form (which shows what
        means nothing there and is editable to whom may only read)."""
        if len(self) != 1 or not self.journey_work_type:
            return super().action_view_tasks()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            TASK_ACTIONS[self.journey_work_type]
        )
        context = ast.literal_eval(action.get("context") or "{}")
        context.update(default_project_id=self.id, active_test=self.active)
        action.update(
            display_name=self.name,
            domain=[("project_id", "=", self.id)],
            context=context,
        )
        return action

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
