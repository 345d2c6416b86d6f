from . import journey_commitment_fulfil_wizard
from . import delivery
from . import handover
from . import workshop
from . import care
