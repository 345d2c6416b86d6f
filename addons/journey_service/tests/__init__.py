from . import test_delivery
from . import test_service_leads
