"""relationships: api. The step's own api arrive with its issue; see docs/architecture.md."""
