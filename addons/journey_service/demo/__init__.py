from . import journey_service_demo
from . import complaint
from . import care
