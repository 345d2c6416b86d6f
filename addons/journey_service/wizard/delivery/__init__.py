from . import journey_delivery_ceremony_wizard
from . import journey_commitment_reopen_wizard
