"""The one blueprint; its views live by area in ``views/`` (as GOV.UK Notify's admin
site keeps them): sign-in, reviews, batches, the register, files."""

from reviewdocs.web.main.blueprint import main as blueprint
from reviewdocs.web.main.views import auth, batches, files, register, reviews

__all__ = ["auth", "batches", "blueprint", "files", "register", "reviews"]
