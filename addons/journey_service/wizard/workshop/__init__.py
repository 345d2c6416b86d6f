from . import journey_service_lead_wizard
from . import journey_nps_record_wizard
from . import journey_expedite_decision_wizard
