def field_labels(records, names):
    """The labels of the fields ``names`` of ``records``' model, in the user's
    language, as an error message lists the fields it refuses."""
    return ", ".join(
        records._fields[name]._description_string(records.env) for name in names
    )
