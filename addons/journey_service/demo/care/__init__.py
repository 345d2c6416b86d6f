from . import journey_care_demo
