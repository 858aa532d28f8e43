"""The tenancy rule and the public tokens, proved on every route, one surface a module:
pages (`test_pages`), the API (`test_api`) and public links (`test_public_links`)."""
