from . import test_delivery
from . import test_handover
from . import test_service_visit
from . import test_service_access
from . import test_nps_expedite
from . import test_portal_pages
from . import test_delivery_tour
from . import test_service_leads
