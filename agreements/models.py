"""agreements: models. The step's own models arrive with its issue; see docs/architecture.md."""
