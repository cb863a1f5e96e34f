"""The one blueprint; its views live by area in ``views/`` (as GOV.UK Notify's admin
site keeps them): sign-in, reviews, batches, the register, files. Importing a view
module registers its routes on the blueprint."""

import reviewdocs.web.main.views.auth
import reviewdocs.web.main.views.batches
import reviewdocs.web.main.views.files
import reviewdocs.web.main.views.register
import reviewdocs.web.main.views.reviews  # noqa: F401  (imported for their routes)
from reviewdocs.web.main.routes import main as blueprint

__all__ = ["blueprint"]
