"""Forms of Onboard: one module per subject."""
