from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessDenied, AccessError, MissingError
from odoo.http import request

from odoo.addons.web.controllers.home import Home

from .portal import JourneyServicePortal

# The delivery whose sign-only page locks this session (the tablet at the ceremony).
KIOSK_SESSION_KEY = "journey_kiosk_task_id"


def journey_checklist_for_customer(task_sudo):
    """The promises the customer reads on the delivery's checklist."""
    return task_sudo.journey_checklist_ids.filtered(
        lambda c: c.is_visible_to_customer or c.fulfillment_state == "waived"
    ).sorted(lambda c: (c.sequence, c.id))


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
            "checklist": journey_checklist_for_customer(task_sudo),
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

    @http.route(
        ["/my/journey/delivery/<int:task_id>/nps"],
        type="http",
        auth="public",
        website=True,
        methods=["GET"],
    )
    def portal_journey_delivery_nps(self, task_id, access_token=None, **kwargs):
        """The NPS question about the delivery (the day 30 survey's link)."""
        return self._journey_nps_page(task_id, access_token, "delivery")

    @http.route(
        ["/my/journey/delivery/<int:task_id>/nps"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_journey_delivery_nps_answer(
        self, task_id, access_token=None, score=None, comment=None, **kwargs
    ):
        return self._journey_nps_answer(
            task_id, access_token, "delivery", score, comment
        )

    # ------------------------------------------------------------------
    # The tablet at the ceremony: a sign-only page in the specialist's session
    # ------------------------------------------------------------------

    def _journey_kiosk_task(self, task_id):
        """The delivery shown on the tablet, as superuser once the logged-in
        delivery specialist's own right to read it is checked.

        :raise NotFound: not a delivery specialist, or no such delivery they may read
        """
        user = request.env.user
        task = request.env["project.task"].browse(task_id).exists()
        if not task or not user.has_group("journey_crm.group_delivery_specialist"):
            raise NotFound()
        try:
            task.check_access("read")
        except AccessError as error:
            raise NotFound() from error
        if task.journey_work_type != "delivery":
            raise NotFound()
        # sudo: the page shows the customer's checklist, which the specialist reads.
        return task.sudo()

    def _journey_kiosk_render(self, task_sudo, **values):
        """The sign-only page, in the customer's language: they hold the tablet."""
        lang = task_sudo.partner_id.lang
        if lang:
            request.update_context(lang=lang)
            task_sudo = task_sudo.with_context(lang=lang)
        return request.render(
            "journey_service.delivery_kiosk",
            {
                "journey_task": task_sudo,
                "checklist": journey_checklist_for_customer(task_sudo),
                "page_name": "journey_delivery_kiosk",
                **values,
            },
        )

    @http.route(
        ["/journey/kiosk/delivery/<int:task_id>"],
        type="http",
        auth="user",
        methods=["GET"],
    )
    def journey_kiosk_delivery(self, task_id, **kwargs):
        """Lock this session on the delivery's sign-only page until the specialist
        unlocks it with their password."""
        try:
            task_sudo = self._journey_kiosk_task(task_id)
        except NotFound:
            # A lock on a delivery that cannot be shown would keep the session out.
            request.session.pop(KIOSK_SESSION_KEY, None)
            raise
        request.session[KIOSK_SESSION_KEY] = task_sudo.id
        return self._journey_kiosk_render(task_sudo)

    @http.route(
        ["/journey/kiosk/delivery/<int:task_id>/sign"], type="json", auth="user"
    )
    def journey_kiosk_delivery_sign(self, task_id, name=None, signature=None):
        """The customer signs on the tablet: the one signing path of the portal."""
        try:
            task_sudo = self._journey_kiosk_task(task_id)
        except NotFound:
            return {"error": request.env._("Invalid delivery.")}
        user = request.env.user
        return self._journey_sign(
            lambda signer, image: task_sudo._journey_sign_checklist(
                signer, image, "in_store", user=user
            ),
            name,
            signature,
            task_sudo._journey_get_kiosk_url(),
        )

    @http.route(
        ["/journey/kiosk/delivery/<int:task_id>/unlock"],
        type="http",
        auth="user",
        methods=["POST"],
    )
    def journey_kiosk_delivery_unlock(self, task_id, password=None, **kwargs):
        """Back to the delivery's form, only with the logged-in specialist's own
        password (checked like a login, failures counted): a wrong one keeps the
        tablet locked."""
        task_sudo = self._journey_kiosk_task(task_id)
        user = request.env.user
        try:
            with user._assert_can_auth(user=user.id):
                user._check_credentials(
                    {"type": "password", "password": password or ""},
                    {"interactive": True},
                )
        except AccessDenied:
            return self._journey_kiosk_render(task_sudo, unlock_error=True)
        request.session.pop(KIOSK_SESSION_KEY, None)
        action = request.env.ref("journey_service.project_task_action_journey_delivery")
        return request.redirect(f"/odoo/action-{action.id}/{task_sudo.id}", 303)


class JourneyKioskHome(Home):
    """While the tablet is locked on a sign-only page, the back office sends back
    to it: typing /odoo does not reach the specialist's menus."""

    @http.route()
    def web_client(self, s_action=None, **kw):
        task_id = request.session.get(KIOSK_SESSION_KEY)
        if task_id and request.session.uid:
            return request.redirect(f"/journey/kiosk/delivery/{int(task_id)}", 303)
        return super().web_client(s_action=s_action, **kw)
