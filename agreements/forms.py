"""agreements: forms. The step's own forms arrive with its issue; see docs/architecture.md."""
