from werkzeug.exceptions import NotFound

from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.journey_crm.controllers.portal import JourneyCustomerPortal


class JourneyServicePortal(JourneyCustomerPortal):
    """What the customer's delivery and workshop pages share: access to a task by
    its token or by the customer's own login, never Odoo's generic task pages
    (which show the task's description, attachments and internal notes)."""

    def _journey_customer_tasks_domain(self, partner, work_type):
        """The deliveries or visits of ``partner``'s company: the portal lists these,
        and only these open for a logged-in customer without a token."""
        return [
            ("journey_work_type", "=", work_type),
            ("partner_id", "child_of", partner.commercial_partner_id.id),
        ]

    def _journey_task_check_access(self, task_id, access_token, work_type):
        """The task as superuser, like ``_document_check_access``: the token is
        compared in constant time with the task's own (made only when a link is
        needed); without it, a logged-in customer opens their company's tasks.

        :raise MissingError: no such delivery or visit
        :raise AccessError: neither the token nor the customer matches
        """
        # sudo: the customer has no right on tasks; the checks below decide.
        task_sudo = request.env["project.task"].sudo().browse(task_id).exists()
        if not task_sudo or task_sudo.journey_work_type != work_type:
            raise MissingError(request.env._("This document does not exist."))
        if (
            access_token
            and task_sudo.journey_access_token
            and consteq(task_sudo.journey_access_token, access_token)
        ):
            return task_sudo
        user = request.env.user
        if not user._is_public() and task_sudo.filtered_domain(
            self._journey_customer_tasks_domain(user.partner_id, work_type)
        ):
            return task_sudo
        raise AccessError(request.env._("You cannot open this page."))

    def _journey_get_task(self, task_id, access_token, work_type):
        """The task for an HTTP page: a 404 whatever the reason it may not be read."""
        try:
            return self._journey_task_check_access(task_id, access_token, work_type)
        except (AccessError, MissingError) as error:
            raise NotFound() from error
