import binascii

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.portal.controllers.portal import CustomerPortal


class JourneyServicePortal(CustomerPortal):
    """The customer's own pages for a delivery: never Odoo's generic task pages,
    which show the task's description, attachments and internal notes."""

    def _journey_get_task(self, task_id, access_token, work_type):
        """The task as superuser, once the token or the logged-in customer matches."""
        task_sudo = request.env["project.task"].sudo().browse(task_id).exists()
        if not task_sudo or task_sudo.journey_work_type != work_type:
            raise NotFound()
        if access_token and task_sudo.journey_access_token and consteq(
            task_sudo.journey_access_token, access_token
        ):
            return task_sudo
        user = request.env.user
        if not user._is_public() and task_sudo.partner_id and (
            user.partner_id.commercial_partner_id == task_sudo.partner_id.commercial_partner_id
        ):
            return task_sudo
        raise NotFound()

    def _journey_customer_tasks_domain(self, partner, work_type):
        return [
            ("journey_work_type", "=", work_type),
            ("partner_id", "child_of", partner.commercial_partner_id.id),
        ]

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "journey_delivery_count" in counters:
            partner = request.env.user.partner_id
            values["journey_delivery_count"] = request.env["project.task"].sudo().search_count(
                self._journey_customer_tasks_domain(partner, "delivery")
            )
        return values

    @http.route(["/my/journey/deliveries"], type="http", auth="user", website=True)
    def portal_journey_deliveries(self, **kwargs):
        """The customer's deliveries, each opening its own checklist page."""
        partner = request.env.user.partner_id
        tasks = request.env["project.task"].sudo().search(
            self._journey_customer_tasks_domain(partner, "delivery"), order="date_deadline desc, id desc"
        )
        values = self._prepare_portal_layout_values()
        values.update(tasks=tasks, page_name="journey_deliveries")
        return request.render("journey_service.portal_my_deliveries", values)

    @http.route(
        ["/my/journey/delivery/<int:task_id>"], type="http", auth="public", website=True
    )
    def portal_journey_delivery(self, task_id, access_token=None, message=None, **kwargs):
        task_sudo = self._journey_get_task(task_id, access_token, "delivery")
        values = {
            "journey_task": task_sudo,
            "checklist": task_sudo.journey_checklist_ids.filtered(
                lambda c: c.is_visible_to_customer or c.fulfillment_state == "waived"
            ),
            "access_token": access_token,
            "message": message,
            "page_name": "journey_delivery",
        }
        return request.render("journey_service.portal_delivery_checklist", values)

    @http.route(
        ["/my/journey/delivery/<int:task_id>/sign"], type="json", auth="public", website=True
    )
    def portal_journey_delivery_sign(self, task_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            task_sudo = self._journey_get_task(task_id, access_token, "delivery")
        except NotFound:
            return {"error": request.env._("Invalid delivery.")}
        if not signature:
            return {"error": request.env._("Signature is missing.")}
        user = request.env.user
        method = "in_store" if user._is_internal() else "portal"
        try:
            with request.env.cr.savepoint():
                task_sudo._journey_sign_checklist(name, signature, method, user=user)
        except UserError as error:
            return {"error": error.args[0]}
        except (TypeError, ValueError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        return {
            "force_refresh": True,
            "redirect_url": task_sudo._journey_get_portal_url() + "&message=signed",
        }

    # ------------------------------------------------------------------
    # NPS question after a service visit
    # ------------------------------------------------------------------

    def _journey_nps_values(self, task_sudo, access_token, **values):
        return {
            "journey_task": task_sudo,
            "access_token": access_token,
            "answer": task_sudo.journey_nps_answer_ids[:1],
            "page_name": "journey_nps",
            **values,
        }

    @http.route(
        ["/my/journey/service/<int:task_id>/nps"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_journey_nps(self, task_id, access_token=None, **kwargs):
        task_sudo = self._journey_get_task(task_id, access_token, "service")
        return request.render(
            "journey_service.portal_service_nps", self._journey_nps_values(task_sudo, access_token)
        )

    @http.route(
        ["/my/journey/service/<int:task_id>/nps"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_journey_nps_answer(self, task_id, access_token=None, score=None, comment=None, **kwargs):
        task_sudo = self._journey_get_task(task_id, access_token, "service")
        try:
            value = int(score)
        except (TypeError, ValueError):
            value = None
        try:
            with request.env.cr.savepoint():
                request.env["journey.nps.answer"].sudo()._journey_record(
                    task_sudo, value, comment, "portal"
                )
        except (UserError, ValidationError) as error:
            return request.render(
                "journey_service.portal_service_nps",
                self._journey_nps_values(
                    task_sudo, access_token, error=error.args[0], comment=comment, score=score
                ),
            )
        return request.render(
            "journey_service.portal_service_nps",
            self._journey_nps_values(task_sudo, access_token, thanks=True),
        )
