"""The blueprint every view registers on (its own module: views import it, and the
package imports the views, without an import circle)."""

from flask import Blueprint

main = Blueprint("main", __name__)
