"""SQL pieces shared by the reporting views.

Every date a report groups by is the company's local date: a datetime stored in
UTC is converted with the company's reporting timezone, found in the
``journey_kpi_company_tz`` view (one row per company, with its local today).
"""

COMPANY_TZ_VIEW = """
    CREATE OR REPLACE VIEW journey_kpi_company_tz AS (
        SELECT rc.id AS company_id,
               COALESCE(rc.journey_kpi_tz, rcp.tz, 'UTC') AS tz,
               (now() AT TIME ZONE COALESCE(rc.journey_kpi_tz, rcp.tz, 'UTC'))::date
                   AS today
          FROM res_company rc
          JOIN res_partner rcp ON rcp.id = rc.partner_id
    )
"""


def company_tz_view(cr):
    """(Re)create the view of each company's reporting timezone."""
    cr.execute(COMPANY_TZ_VIEW)


def local_date(column, tz="tz.tz"):
    """SQL of the company's local date of a UTC datetime column."""
    return f"(({column}) AT TIME ZONE 'UTC' AT TIME ZONE {tz})::date"


def local_now():
    """SQL of the current UTC datetime (as Odoo stores datetimes)."""
    return "(now() AT TIME ZONE 'UTC')"
