from . import journey_service_demo
