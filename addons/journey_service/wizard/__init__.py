from . import journey_commitment_fulfil_wizard
from . import journey_delivery_ceremony_wizard
from . import journey_handover_return_wizard
from . import journey_handover_wizard
from . import journey_service_lead_wizard
from . import journey_nps_record_wizard
from . import journey_expedite_decision_wizard
