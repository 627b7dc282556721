"""The REST API of Co-create (/api/v1/co-create/), one module per subject."""
