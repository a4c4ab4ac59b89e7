"""``python -m scalargrad ...`` is the same as the ``scalargrad`` command."""
import sys

from .cli import main

sys.exit(main())
