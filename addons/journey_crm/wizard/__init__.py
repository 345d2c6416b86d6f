from . import journey_commitment_reason_wizard
