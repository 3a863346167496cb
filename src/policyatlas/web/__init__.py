"""The web face of the atlas: a FastAPI app (JSON/CSV API + dashboard) and a static-site export.

Every page is drawn from one view function per page type (`views/`); the same function answers
as HTML, JSON or CSV, and `export.py` renders the same templates to files.
"""

from .app import create_app

__all__ = ["create_app"]
