"""cocreation: selectors. The step's own selectors arrive with its issue; see docs/architecture.md."""
