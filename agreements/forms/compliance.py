"""Forms of Agree: compliance."""
