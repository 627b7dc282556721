"""onboarding: views. The step's own views arrive with its issue; see docs/architecture.md."""
