from . import journey_care_event_skip_wizard
