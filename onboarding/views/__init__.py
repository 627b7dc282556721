"""Pages of Onboard: one module per subject."""
