"""The REST API of Onboard: one module per subject; dsv/api_urls.py joins their routes."""
