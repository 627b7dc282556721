"""Pages of Co-create, one module per subject."""
