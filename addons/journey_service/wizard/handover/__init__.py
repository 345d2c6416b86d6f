from . import journey_handover_wizard
from . import journey_handover_return_wizard
