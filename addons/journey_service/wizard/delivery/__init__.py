from . import journey_delivery_ceremony_wizard
