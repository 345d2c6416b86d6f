from .sql import company_tz_view, local_date, local_now
