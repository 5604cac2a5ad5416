"""The web API of the lotsensystem (FastAPI): :func:`api.web.app.create_app`."""
