from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _journey_activity_values(
        self, record, activity_type, user, note, date_deadline=None, automated=True
    ):
        """The values of an activity of ``activity_type`` on ``record`` for
        ``user``, due ``date_deadline`` (today by default), as the scheduled
        actions give them to ``_journey_schedule_batch``."""
        return {
            "activity_type_id": activity_type.id,
            "summary": activity_type.summary,
            "automated": automated,
            "date_deadline": date_deadline or fields.Date.context_today(record),
            "user_id": user.id,
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "note": note,
        }

    @api.model
    def _journey_schedule_batch(self, vals_list, digest_subject):
        """Create the activities of a scheduled action together and tell each
        assignee once, with the list, instead of one e-mail per activity.

        :param vals_list: ``mail.activity`` values, each with a ``user_id``
        :param digest_subject: ``env -> str``, the subject of the one notice per
            assignee, translated in the assignee's language (``env._("...")``)
        :return: the new activities
        """
        if not vals_list:
            return self.browse()
        # sudo: a scheduled action assigns work to the people responsible, whatever
        # the job's user may read. quick_update: the digest below replaces the
        # e-mail Odoo sends for each activity assigned to someone else.
        activities = (
            self.sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        )
        by_user = defaultdict(lambda: self.browse())
        for activity in activities.filtered("user_id"):
            by_user[activity.user_id] |= activity
        for user, user_activities in by_user.items():
            items = Markup("").join(
                Markup('<li><a href="/odoo/%s/%s">%s</a>: %s</li>')
                % (
                    activity.res_model,
                    activity.res_id,
                    activity.res_name or "",
                    activity.note or activity.summary or "",
                )
                for activity in user_activities
            )
            # sudo: the job tells each assignee, whatever its user may read of them.
            self.env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                subject=digest_subject(self.with_context(lang=user.lang).env),
                body=Markup("<ul>%s</ul>") % items,
                subtype_xmlid="mail.mt_note",
            )
        return activities
