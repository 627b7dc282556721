"""Demo data for `manage.py seed_demo`: an invented managed IT services provider and its accounts."""
