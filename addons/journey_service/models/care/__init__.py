# The care plan: what the dealership does for each vehicle after its delivery.
from . import res_company
from . import res_config_settings
from . import journey_care_plan
from . import journey_care_plan_step
from . import journey_care_event
from . import res_partner
from . import fleet_vehicle
from . import fleet_vehicle_odometer
from . import project_task
from . import journey_handover
from . import mail_activity
from . import journey_nps_answer
