from . import journey_service_demo
from . import care
