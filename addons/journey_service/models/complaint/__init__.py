# Joint complaints: one answer from sales, after-sales and quality within a day,
# red alerts on safety words, and the customers at risk of leaving.
from . import res_company
from . import res_config_settings
from . import journey_alert_keyword
from . import journey_complaint
from . import journey_handover
from . import journey_nps_answer
from . import project_task
from . import res_partner
