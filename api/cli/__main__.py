"""``python -m api.cli``: the same as the ``lotse`` command."""

from api.cli import main

main()
