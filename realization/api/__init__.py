"""REST API of Realize (/api/v1/realize/...), one module per subject."""
