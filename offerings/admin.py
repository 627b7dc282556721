"""offerings: admin. The step's own admin arrive with its issue; see docs/architecture.md."""
