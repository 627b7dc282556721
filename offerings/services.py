"""offerings: services. The step's own services arrive with its issue; see docs/architecture.md."""
