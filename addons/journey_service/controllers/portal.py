from werkzeug.exceptions import NotFound

from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.journey_crm.controllers.portal import JourneyCustomerPortal

# The page of the NPS question about each kind of task: the header differs, the
# question and its rules are the same (``portal_journey_nps``).
NPS_TEMPLATES = {
    "delivery": "journey_service.portal_delivery_nps",
    "service": "journey_service.portal_service_nps",
}


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

    # ------------------------------------------------------------------
    # The NPS question, about the delivery or a service visit
    # ------------------------------------------------------------------

    def _journey_vehicle_label(self, vehicle):
        """The vehicle as its owner reads it ("Aurora EV SUV · 沪A12345"), not the
        fleet's internal name ("Aurora/EV SUV/沪A12345")."""
        model = " ".join(
            name
            for name in (vehicle.model_id.brand_id.name, vehicle.model_id.name)
            if name
        )
        return " · ".join(part for part in (model, vehicle.license_plate) if part)

    def _journey_nps_render(self, task_sudo, access_token, **values):
        return request.render(
            NPS_TEMPLATES[task_sudo.journey_work_type],
            {
                "journey_task": task_sudo,
                "vehicle_label": self._journey_vehicle_label(
                    task_sudo.journey_vehicle_id
                ),
                "access_token": access_token,
                "answer": task_sudo.journey_nps_answer_ids[:1],
                "nps_url": f"{task_sudo.access_url}/nps",
                "page_name": "journey_nps",
                **values,
            },
        )

    def _journey_nps_page(self, task_id, access_token, work_type):
        """The question, or where the customer stands (already answered, not yet
        possible)."""
        task_sudo = self._journey_get_task(task_id, access_token, work_type)
        return self._journey_nps_render(task_sudo, access_token)

    def _journey_nps_answer(self, task_id, access_token, work_type, score, comment):
        """Record the customer's answer, or show the page again with the error and
        what they typed."""
        task_sudo = self._journey_get_task(task_id, access_token, work_type)
        try:
            value = int(score)
        except (TypeError, ValueError):
            value = None
        try:
            with request.env.cr.savepoint():
                # sudo: the customer answers for their own delivery or visit, checked
                # above by its token or their login.
                request.env["journey.nps.answer"].sudo()._journey_record(
                    task_sudo, value, comment, "portal"
                )
        except (UserError, ValidationError) as error:
            return self._journey_nps_render(
                task_sudo,
                access_token,
                error=error.args[0],
                comment=comment,
                score=score,
            )
        return self._journey_nps_render(task_sudo, access_token, thanks=True)
