"""Turn an Urgent Action's published text into the fields of a draft case."""
