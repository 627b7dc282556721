"""cocreation: tasks. The step's own tasks arrive with its issue; see docs/architecture.md."""
