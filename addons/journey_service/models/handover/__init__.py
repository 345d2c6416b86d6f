from . import journey_handover
