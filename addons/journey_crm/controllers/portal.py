import binascii

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.sale.controllers.portal import CustomerPortal, PaymentPortal


class JourneyPaymentPortal(PaymentPortal):
    # The payment route is defined on sale's PaymentPortal, not on its CustomerPortal:
    # overriding it there would never be called and would turn the JSON route into
    # 'http'.
    @http.route()
    def portal_order_transaction(self, order_id, access_token, **kwargs):
        """Refuse a payment that could not confirm the order afterwards."""
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token
            )
        except MissingError:
            raise
        except AccessError as error:
            raise ValidationError(
                request.env._("The access token is invalid.")
            ) from error
        if (
            order_sudo.state in ("draft", "sent")
            and order_sudo._get_commitment_blocking_reasons()
        ):
            raise ValidationError(
                request.env._(
                    "This quotation cannot be paid yet: your salesperson is completing "
                    "it."
                )
            )
        return super().portal_order_transaction(order_id, access_token, **kwargs)


class JourneyCustomerPortal(CustomerPortal):
    def _journey_sign(self, sign, name, signature, redirect_url):
        """The one JSON answer of every Journey signing route (commitments changed
        after the order was signed, the delivery checklist), shaped like sale's
        ``portal_quote_accept``: ``sign(name, signature)`` records the signature
        in a savepoint; the customer reads why it failed, or is sent on."""
        if not signature:
            return {"error": request.env._("Signature is missing.")}
        try:
            with request.env.cr.savepoint():
                sign(name, signature)
        except UserError as error:
            return {"error": error.args[0]}
        except (TypeError, ValueError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        return {"force_refresh": True, "redirect_url": redirect_url}

    @http.route(
        ["/my/orders/<int:order_id>/commitments/sign"],
        type="json",
        auth="public",
        website=True,
    )
    def portal_commitments_sign(
        self, order_id, access_token=None, name=None, signature=None
    ):
        """The customer signs the commitments changed or added after signing the
        order."""
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._document_check_access(
                "sale.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid order.")}
        return self._journey_sign(
            order_sudo._sign_commitments,
            name,
            signature,
            order_sudo.get_portal_url(query_string="&message=commitments_signed"),
        )
