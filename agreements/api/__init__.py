"""REST API of Agree, one module per subject; dsv/api_urls.py joins their routes."""
