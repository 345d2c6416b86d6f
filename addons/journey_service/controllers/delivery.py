from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from .portal import JourneyServicePortal


class JourneyDeliveryPortal(JourneyServicePortal):
    """The customer's deliveries: what was promised, checked at the delivery, and
    signed on the tablet or from their own link."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "journey_delivery_count" in counters:
            partner = request.env.user.partner_id
            # sudo: the customer has no right on tasks; the domain is theirs.
            values["journey_delivery_count"] = (
                request.env["project.task"]
                .sudo()
                .search_count(self._journey_customer_tasks_domain(partner, "delivery"))
            )
        return values

    @http.route(["/my/journey/deliveries"], type="http", auth="user", website=True)
    def portal_journey_deliveries(self, **kwargs):
        """The customer's deliveries, each opening its own checklist page."""
        partner = request.env.user.partner_id
        # sudo: the customer has no right on tasks; the domain is theirs.
        tasks = (
            request.env["project.task"]
            .sudo()
            .search(
                self._journey_customer_tasks_domain(partner, "delivery"),
                order="date_deadline desc, id desc",
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(tasks=tasks, page_name="journey_deliveries")
        return request.render("journey_service.portal_my_deliveries", values)

    @http.route(
        ["/my/journey/delivery/<int:task_id>"], type="http", auth="public", website=True
    )
    def portal_journey_delivery(
        self, task_id, access_token=None, message=None, **kwargs
    ):
        task_sudo = self._journey_get_task(task_id, access_token, "delivery")
        values = {
            "journey_task": task_sudo,
            "checklist": task_sudo.journey_checklist_ids.filtered(
                lambda c: c.is_visible_to_customer or c.fulfillment_state == "waived"
            ).sorted(lambda c: (c.sequence, c.id)),
            "access_token": access_token,
            "message": message,
            "page_name": "journey_delivery",
        }
        return request.render("journey_service.portal_delivery_checklist", values)

    @http.route(
        ["/my/journey/delivery/<int:task_id>/sign"],
        type="json",
        auth="public",
        website=True,
    )
    def portal_journey_delivery_sign(
        self, task_id, access_token=None, name=None, signature=None
    ):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            task_sudo = self._journey_task_check_access(
                task_id, access_token, "delivery"
            )
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid delivery.")}
        user = request.env.user
        method = "in_store" if user._is_internal() else "portal"
        return self._journey_sign(
            lambda signer, image: task_sudo._journey_sign_checklist(
                signer, image, method, user=user
            ),
            name,
            signature,
            task_sudo.get_portal_url(query_string="&message=signed"),
        )
