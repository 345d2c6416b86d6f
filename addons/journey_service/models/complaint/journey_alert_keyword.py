import re
import unicodedata

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html2plaintext

SEVERITY_SELECTION = [
    ("high", "High"),
    ("critical", "Critical"),
]


def normalize_alert_text(text):
    """The form in which texts and keywords are compared: HTML stripped, Unicode
    NFKC (full-width and half-width characters alike), case folded, spaces
    collapsed. html2plaintext marks bold text with asterisks: they are dropped."""
    if not text:
        return ""
    plain = html2plaintext(str(text), include_references=False).replace("*", " ")
    plain = unicodedata.normalize("NFKC", plain).casefold()
    return " ".join(plain.split())


class JourneyAlertKeyword(models.Model):
    """A word that raises a red alert when a customer uses it: a complaint, an
    NPS comment or what they said at the workshop reception.

    Chinese keywords ship in their simplified and traditional forms, each its own
    keyword: NFKC does not convert one script into the other.
    """

    _name = "journey.alert.keyword"
    _description = "Red-Alert Keyword"
    _order = "severity desc, keyword"

    keyword = fields.Char(required=True, translate=False)
    normalized_keyword = fields.Char(
        compute="_compute_normalized_keyword",
        store=True,
        help="The keyword as it is compared: no HTML, NFKC, case folded.",
    )
    severity = fields.Selection(SEVERITY_SELECTION, required=True, default="critical")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to watch for this keyword in every company.",
    )

    @api.depends("keyword")
    def _compute_normalized_keyword(self):
        for keyword in self:
            keyword.normalized_keyword = normalize_alert_text(keyword.keyword)

    @api.constrains("keyword")
    def _check_keyword(self):
        for keyword in self:
            if not normalize_alert_text(keyword.keyword):
                raise ValidationError(
                    self.env._(
                        "Type the word or phrase to watch for: an empty keyword would "
                        "match every text."
                    )
                )

    @api.depends("keyword", "severity")
    def _compute_display_name(self):
        for keyword in self:
            keyword.display_name = keyword.keyword or ""

    @api.model
    def _journey_match(self, text, company=None):
        """The active keywords of ``company`` (and of every company) found in
        ``text``, after normalising both. A keyword that starts with a letter or a
        digit matches at the start of a word only ("fire" in "fires", not in
        "campfire"); others (Chinese) match anywhere."""
        normalized = normalize_alert_text(text)
        if not normalized:
            return self.browse()
        company = company or self.env.company
        # sudo: every user's words are checked against every keyword, whether or not
        # they may read the list.
        keywords = self.sudo().search(
            [("company_id", "in", [False, company.id])], order="id"
        )
        found = self.browse()
        for keyword in keywords:
            needle = keyword.normalized_keyword
            if not needle:
                continue
            pattern = re.escape(needle)
            if needle[0].isascii() and needle[0].isalnum():
                pattern = r"(?<![a-z0-9])" + pattern
            if re.search(pattern, normalized):
                found |= keyword
        return found.sudo(False)
