from . import journey_complaint_demo
