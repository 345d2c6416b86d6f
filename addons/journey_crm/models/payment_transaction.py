from odoo import models


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """Never confirm, from a payment, an order that its checklist still blocks.

        The payment is kept: the salesperson is told to finish the checklist
        and confirm the order.
        """
        blocked = self.browse()
        for tx in self:
            quotation = tx.sale_order_ids.filtered(
                lambda so: so.state in ("draft", "sent")
            )
            if (
                len(tx.sale_order_ids) == 1
                and quotation._get_commitment_blocking_reasons()
            ):
                blocked |= tx
                quotation.message_post(
                    body=self.env._(
                        "A payment was received, but the order was not confirmed: "
                        "%(reasons)s",
                        reasons=" ".join(quotation._get_commitment_blocking_reasons()),
                    )
                )
                if quotation.user_id:
                    quotation.activity_schedule(
                        "mail.mail_activity_data_todo",
                        user_id=quotation.user_id.id,
                        summary=self.env._(
                            "Paid order waits for its commitment checklist"
                        ),
                    )
        return super(
            PaymentTransaction, self - blocked
        )._check_amount_and_confirm_order()
